package dev.smartgateway.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.smartgateway.it.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the response cache keeps and what it lets by: answers that forbid storing, and bodies over
 * {@code maxEntryBytes}, which still reach the client whole, every time.
 */
class CacheStoringTest {

  private Harness harness;

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void answersThatForbidStoringAreNeverServedFromTheCache() {
    harness = Harness.start(0, 0, "defaults: {cache: {enabled: true, defaultTtl: 1m}}\n");
    List<String> forbidding = List.of("header.Cache-Control=no-store", "header.Cache-Control=private",
        "header.Cache-Control=max-age%3D60,%20private", "header.Cache-Control=no-cache",
        "header.Cache-Control=max-age%3D60&header.Set-Cookie=id%3D1", "header.Cache-Control=max-age%3D60&code=500",
        "header.Cache-Control=max-age%3D60&header.Vary=*");
    for (int i = 0; i < forbidding.size(); i++) {
      String uri = "/smart_proxy/demo/g1/cache?key=f" + i + "&" + forbidding.get(i);

      Harness.Reply first = await(harness.get(uri));
      Harness.Reply second = await(harness.get(uri));

      assertThat(second.header("X-Cache")).as(forbidding.get(i)).isEqualTo("MISS");
      assertThat(second.json().getLong("seen")).as("%s: both reached the VM", forbidding.get(i)).isEqualTo(2);
      assertThat(first.json().getLong("seen")).isEqualTo(1);
    }
  }

  @Test
  void anAnswerThatAllowsCachingButSaysNothingTakesTheDefaultTtl() {
    harness = Harness.start(0, 0, "defaults: {cache: {enabled: true, defaultTtl: 1m}}\n"
        + "resources: {nottl: {cache: {defaultTtl: 0s}}}\n");
    String withDefault = "/smart_proxy/demo/g1/cache?key=ttl";
    String withoutDefault = "/smart_proxy/nottl/g1/cache?key=nottl";
    await(harness.get(withDefault));
    await(harness.get(withoutDefault));

    assertThat(await(harness.get(withDefault)).header("X-Cache")).isEqualTo("HIT");
    assertThat(await(harness.get(withoutDefault)).header("X-Cache")).as("defaultTtl 0s: not stored").isEqualTo("MISS");
  }

  @Test
  void anEntryLargerThanMaxEntryBytesStreamsThroughWholeAndIsNotCached() {
    harness = Harness.start(0, 0, "defaults: {cache: {enabled: true, maxEntryBytes: 64k}}\n");
    String declared = "/smart_proxy/demo/g1/bytes?n=200000&header.Cache-Control=max-age%3D60";
    // Chunked, of unknown length: it grows past the limit on its way through.
    String chunked = "/smart_proxy/demo/g1/stream?chunks=10000&intervalMs=0&header.Cache-Control=max-age%3D60";
    String small = "/smart_proxy/demo/g1/bytes?n=1000&header.Cache-Control=max-age%3D60";

    for (int round = 0; round < 2; round++) {
      Harness.Reply big = await(harness.get(declared));
      assertThat(big.header("X-Cache")).as("round %d", round).isEqualTo("MISS");
      assertPattern(big, 200_000);

      Harness.Reply stream = await(harness.get(chunked));
      assertThat(stream.header("X-Cache")).as("round %d", round).isEqualTo("MISS");
      String text = stream.body().toString();
      assertThat(text).startsWith("chunk 0\n").endsWith("chunk 9999\n");
      assertThat(text.split("\n")).hasSize(10_000);
    }
    await(harness.get(small));
    Harness.Reply smallAgain = await(harness.get(small));
    assertThat(smallAgain.header("X-Cache")).as("an entry within the limit is kept").isEqualTo("HIT");
    assertPattern(smallAgain, 1000);
  }

  private static void assertPattern(Harness.Reply reply, int n) {
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().length()).isEqualTo(n);
    for (int i = 0; i < n; i++) {
      if (reply.body().getByte(i) != (byte) (i % 251)) {
        throw new AssertionError("byte " + i + " is off the pattern");
      }
    }
  }
}
