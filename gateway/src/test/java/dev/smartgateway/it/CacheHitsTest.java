package dev.smartgateway.it;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The response cache through a real gateway and the mock cloud: what is served from it (without the VM, even while
 * the VM sleeps), and what keeps answers apart (Vary, groups). The mock VM's {@code /cache?key=K} counts the requests
 * that reach a VM ({@code "seen"} in its echo), and {@code header.*} parameters set its response headers.
 */
class CacheHitsTest {

  private static final String CACHEABLE = "&header.Cache-Control=max-age%3D60";

  private Harness harness;

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void aHitIsServedWhileTheVmSleeps() {
    harness = Harness.start(50, 100, "defaults: {idleTimeout: 300ms, cache: {enabled: true}}\n");
    String uri = "/smart_proxy/demo/g1/cache?key=sleep" + CACHEABLE;
    Harness.Reply miss = await(harness.get(uri));
    String vm = miss.json().getString("vm");
    eventually("the idle VM is stopped", () -> "STOPPED".equals(harness.vmState(vm)));

    Harness.Reply hit = await(harness.get(uri));

    assertThat(miss.header("X-Cache")).isEqualTo("MISS");
    assertThat(hit.status()).isEqualTo(200);
    assertThat(hit.header("X-Cache")).isEqualTo("HIT");
    assertThat(hit.header("Age")).isNotNull();
    assertThat(hit.body()).isEqualTo(miss.body());
    assertThat(harness.stats().getInteger("started")).as("the hit started nothing").isEqualTo(1);
    assertThat(harness.stats().getInteger("running")).isZero();
    assertThat(harness.gateway.lifecycle().waiting()).isZero();
  }

  @Test
  void aHitCarriesItsAgeIncludingTheAgeItArrivedWith() {
    harness = Harness.start(0, 0, "defaults: {cache: {enabled: true}}\n");
    String uri = "/smart_proxy/demo/g1/cache?key=age" + CACHEABLE + "&header.Age=30";
    await(harness.get(uri));

    Harness.Reply hit = await(harness.get(uri));

    assertThat(hit.header("X-Cache")).isEqualTo("HIT");
    assertThat(Long.parseLong(hit.header("Age"))).isBetween(30L, 59L);
  }

  @Test
  void aHeadIsServedFromACachedGet() {
    harness = Harness.start(0, 0, "defaults: {cache: {enabled: true}}\n");
    String uri = "/smart_proxy/demo/g1/cache?key=head" + CACHEABLE;
    Harness.Reply get = await(harness.get(uri));

    Harness.Reply head = await(harness.send(HttpMethod.HEAD, uri, null));

    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("X-Cache")).isEqualTo("HIT");
    assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(get.body().length()));
    assertThat(head.body().length()).isZero();
    assertThat(seenAfter("head")).as("only the GET reached the VM").isEqualTo(2);
  }

  @Test
  void aRevalidatingClientGetsNotModifiedFromTheCacheWhileTheVmSleeps() {
    harness = Harness.start(0, 0, "defaults: {idleTimeout: 300ms, cache: {enabled: true}}\n");
    String uri = "/smart_proxy/demo/g1/cache?key=etag" + CACHEABLE + "&header.ETag=%22v1%22";
    String vm = await(harness.get(uri)).json().getString("vm");
    eventually("the idle VM is stopped", () -> "STOPPED".equals(harness.vmState(vm)));

    Harness.Reply current = await(harness.get(uri, "If-None-Match", "\"v1\""));
    Harness.Reply outdated = await(harness.get(uri, "If-None-Match", "\"v0\""));

    assertThat(current.status()).isEqualTo(304);
    assertThat(current.header("X-Cache")).isEqualTo("HIT");
    assertThat(current.header("ETag")).isEqualTo("\"v1\"");
    assertThat(current.body().length()).isZero();
    assertThat(outdated.status()).as("an outdated copy gets the stored answer").isEqualTo(200);
    assertThat(outdated.header("X-Cache")).isEqualTo("HIT");
    assertThat(outdated.json().getLong("seen")).isEqualTo(1);
    assertThat(harness.stats().getInteger("started")).as("neither woke the VM").isEqualTo(1);
  }

  @Test
  void varyKeepsTwoVariantsApart() {
    harness = Harness.start(0, 0, "defaults: {cache: {enabled: true}}\n");
    String uri = "/smart_proxy/demo/g1/cache?key=vary" + CACHEABLE + "&header.Vary=Accept";

    Harness.Reply firstA = await(harness.get(uri, "Accept", "text/a"));
    Harness.Reply firstB = await(harness.get(uri, "Accept", "text/b"));
    Harness.Reply againA = await(harness.get(uri, "Accept", "text/a"));
    Harness.Reply againB = await(harness.get(uri, "Accept", "text/b"));

    assertThat(firstB.header("X-Cache")).as("another Accept is another variant").isEqualTo("MISS");
    assertThat(againA.header("X-Cache")).isEqualTo("HIT");
    assertThat(againB.header("X-Cache")).isEqualTo("HIT");
    assertThat(accept(againA)).isEqualTo("text/a");
    assertThat(accept(againB)).isEqualTo("text/b");
    assertThat(againA.body()).isEqualTo(firstA.body());
    assertThat(againB.body()).isEqualTo(firstB.body());
  }

  @Test
  void oneGroupsCachedAnswerNeverReachesAnotherGroupsCaller() {
    harness = Harness.start(0, 0, "defaults: {cache: {enabled: true}}\n");
    String path = "/cache?key=groups" + CACHEABLE;
    Harness.Reply g1 = await(harness.get("/smart_proxy/demo/g1" + path));

    Harness.Reply g2 = await(harness.get("/smart_proxy/demo/g2" + path));
    Harness.Reply both = await(harness.get("/smart_proxy/demo/g1,g2" + path));
    Harness.Reply g1Again = await(harness.get("/smart_proxy/demo/g1" + path));
    Harness.Reply g2Again = await(harness.get("/smart_proxy/demo/g2" + path));

    assertThat(g2.header("X-Cache")).isEqualTo("MISS");
    assertThat(both.header("X-Cache")).as("a group set of its own").isEqualTo("MISS");
    assertThat(g2.json().getJsonArray("groups").getList()).containsExactly("g2");
    assertThat(g1Again.header("X-Cache")).isEqualTo("HIT");
    assertThat(g1Again.body()).isEqualTo(g1.body());
    assertThat(g2Again.header("X-Cache")).isEqualTo("HIT");
    assertThat(g2Again.body()).isEqualTo(g2.body());
  }

  @Test
  void hitsAndMissesAreLoggedAndCounted() {
    harness = Harness.start(0, 0, "defaults: {cache: {enabled: true}}\n");
    String miss = "/smart_proxy/demo/g1/cache?key=log" + CACHEABLE;
    try (AccessCapture log = AccessCapture.start()) {
      await(harness.get(miss));
      Harness.Reply hit = await(harness.send(HttpMethod.GET, miss, null, "X-Case", "hit"));
      await(harness.send(HttpMethod.POST, "/smart_proxy/demo/g1/post", Buffer.buffer("x")));

      eventually("three lines", () -> log.lines().size() == 3);
      JsonObject missLine = log.lines().get(0);
      JsonObject hitLine = log.lines().get(1);
      assertThat(missLine.getString("cache")).isEqualTo("MISS");
      assertThat(missLine.getString("instance")).isNotNull();
      assertThat(hitLine.getString("cache")).isEqualTo("HIT");
      assertThat(hitLine.getString("instance")).as("no VM answered it").isNull();
      assertThat(hitLine.getInteger("status")).isEqualTo(200);
      assertThat(hitLine.getLong("bytesOut")).isEqualTo(hit.body().length());
      assertThat(log.lines().get(2).getString("cache")).as("a POST cannot use the cache").isEqualTo("none");
    }
    PrometheusText metrics = PrometheusText.parse(harness.metrics().body().toString());
    assertThat(metrics.sum("smart_gateway_cache_requests_total", "result", "hit")).isEqualTo(1);
    assertThat(metrics.sum("smart_gateway_cache_requests_total", "result", "miss")).isEqualTo(1);
    assertThat(metrics.sum("smart_gateway_cache_stored_bytes")).isPositive();
  }

  private static String accept(Harness.Reply reply) {
    return reply.json().getJsonObject("headers").getString("accept");
  }

  /** How many requests with the key reached a VM, counting one more sent now under another URI. */
  private long seenAfter(String key) {
    return await(harness.get("/smart_proxy/demo/g1/cache?key=" + key + "&after")).json().getLong("seen");
  }
}
