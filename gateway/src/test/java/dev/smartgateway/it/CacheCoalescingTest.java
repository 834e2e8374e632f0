package dev.smartgateway.it;

import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Concurrent misses of one answer go to the VM once: the first leads, the others wait for it (bounded, and dropped
 * when their client hangs up), then get the stored answer — or go to the VM themselves when it was not stored.
 * The mock VM's {@code /cache?key=K} counts the requests that reach a VM ({@code "seen"}).
 */
class CacheCoalescingTest {

  private static final String CACHEABLE = "&header.Cache-Control=max-age%3D60";

  private Harness harness;

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void aHundredConcurrentMissesForOneAnswerReachTheVmOnce() {
    harness = Harness.start(50, 100, "defaults: {cache: {enabled: true}}\n");
    String uri = "/smart_proxy/demo/g1/cache?key=herd&ms=300" + CACHEABLE;

    List<Harness.Reply> replies = all(uri, 100);

    assertThat(replies).allSatisfy(reply -> {
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().getLong("seen")).isEqualTo(1);
    });
    assertThat(replies.stream().filter(r -> "MISS".equals(r.header("X-Cache"))).count()).as("the leader").isEqualTo(1);
    assertThat(seenAfter("herd")).as("one request reached the VM before this one").isEqualTo(2);
    assertThat(harness.gateway.caches().flights()).isZero();
  }

  @Test
  void waitersGoToTheVmThemselvesWhenTheLeadersAnswerIsNotStored() {
    harness = Harness.start(0, 0, "defaults: {cache: {enabled: true}}\n");
    String uri = "/smart_proxy/demo/g1/cache?key=nostore&ms=2000&header.Cache-Control=no-store";

    List<Future<Harness.Reply>> sent = send(uri, 5);
    eventually("four wait for the leader", () -> harness.gateway.caches().waiting() == 4);
    List<Harness.Reply> replies = replies(sent);

    assertThat(replies).allSatisfy(reply -> assertThat(reply.status()).isEqualTo(200));
    assertThat(replies.stream().map(r -> r.json().getLong("seen")).toList()).as("each its own answer")
        .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void waitersBeyondTheResourcesMaxWaitingGoToTheVmByThemselves() {
    harness = Harness.start(0, 0, "defaults: {maxWaiting: 2, cache: {enabled: true}}\n");
    await(harness.get("/smart_proxy/demo/g1/health")); // a warm VM: nothing is held for a boot
    String uri = "/smart_proxy/demo/g1/cache?key=bound&ms=2000" + CACHEABLE;

    List<Future<Harness.Reply>> sent = send(uri, 5);
    eventually("two wait for the leader", () -> harness.gateway.caches().waiting() == 2);
    List<Harness.Reply> replies = replies(sent);

    assertThat(replies).allSatisfy(reply -> assertThat(reply.status()).isEqualTo(200));
    assertThat(seenAfter("bound")).as("the leader and the two past the bound of 2 waiters, then this one").isEqualTo(4);
  }

  @Test
  void aWaiterWhoseClientHangsUpIsDroppedAtOnce() {
    harness = Harness.start(0, 0, "defaults: {cache: {enabled: true}}\n");
    String uri = "/smart_proxy/demo/g1/cache?key=hangup&ms=3000" + CACHEABLE;
    Future<Harness.Reply> leader = harness.get(uri);
    eventually("the leader's fetch is under way", () -> harness.gateway.caches().flights() == 1);
    try (AccessCapture log = AccessCapture.start()) {
      try (RawHttp waiter = RawHttp.connect(harness.port())) {
        // The Host the harness's client sends: the host the client named is part of the key.
        waiter.send("GET " + uri + " HTTP/1.1\r\nHost: 127.0.0.1:" + harness.port() + "\r\n\r\n");
        eventually("the waiter waits", () -> harness.gateway.caches().waiting() == 1);
      }
      eventually("the waiter is dropped", () -> harness.gateway.caches().waiting() == 0);
      assertThat(leader.isComplete()).as("while the leader still fetches").isFalse();
      assertThat(log.lineFor(uri).getInteger("status")).isEqualTo(499);
    }
    assertThat(await(leader).json().getLong("seen")).isEqualTo(1);
  }

  /** Sends {@code n} GETs of {@code uri} at once; their replies, once all are in. */
  private List<Harness.Reply> all(String uri, int n) {
    return replies(send(uri, n));
  }

  private List<Future<Harness.Reply>> send(String uri, int n) {
    List<Future<Harness.Reply>> sent = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sent.add(harness.get(uri));
    }
    return sent;
  }

  private static List<Harness.Reply> replies(List<Future<Harness.Reply>> sent) {
    await(Future.join(sent));
    List<Harness.Reply> replies = new ArrayList<>();
    for (Future<Harness.Reply> f : sent) {
      assertThat(f.succeeded()).as("%s", f.cause()).isTrue();
      replies.add(f.result());
    }
    return replies;
  }

  /** How many requests with the key reached a VM, counting one more sent now under another URI. */
  private long seenAfter(String key) {
    return await(harness.get("/smart_proxy/demo/g1/cache?key=" + key + "&after")).json().getLong("seen");
  }
}
