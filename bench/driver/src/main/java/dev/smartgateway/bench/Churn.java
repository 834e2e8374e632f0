package dev.smartgateway.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Idle churn: many resources, each touched once (bounded concurrency), then left idle. Measures the gateway's
 * heap per known resource (while their VMs run, and after all were stopped) and that every VM is stopped once
 * the idle timeout has passed.
 */
final class Churn {
  private Churn() {
  }

  static void run(Vertx vertx, Args a) throws Exception {
    URI gateway = URI.create(a.str("gateway"));
    Control mock = new Control(a.str("mock"));
    long pid = a.pid("pid");
    int count = a.integer("count");
    int concurrency = a.integer("concurrency", 32);
    long idleTimeoutMs = a.integer("idle-timeout-ms");
    String prefix = a.str("prefix", "smart_proxy");
    Path out = Path.of(a.str("out"));
    Clock clock = new Clock();

    JsonObject statsBefore = mock.stats();
    Jvm.Memory baseline = Jvm.measure(pid, clock);

    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(10_000),
        new PoolOptions().setHttp1MaxSize(concurrency));
    int[] status = new int[count];
    double[] latencyMs = new double[count];
    CountDownLatch done = new CountDownLatch(count);
    AtomicInteger next = new AtomicInteger();
    Runnable[] touchNext = new Runnable[1];
    touchNext[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= count) {
        return;
      }
      double t0 = clock.nowMs();
      RequestOptions req = new RequestOptions().setMethod(HttpMethod.GET).setHost(gateway.getHost())
          .setPort(gateway.getPort()).setURI("/" + prefix + "/churn-" + i + "/bench/").setIdleTimeout(120_000);
      client.request(req)
          .compose(r -> r.send().compose(resp -> resp.body().map(b -> resp.statusCode())))
          .onComplete(ar -> {
            status[i] = ar.succeeded() ? ar.result() : 0;
            latencyMs[i] = clock.nowMs() - t0;
            done.countDown();
            touchNext[0].run();
          });
    };
    double touchStart = clock.nowMs();
    for (int k = 0; k < Math.min(concurrency, count); k++) {
      touchNext[0].run();
    }
    boolean allDone = done.await(10, TimeUnit.MINUTES);
    double lastTouchMs = clock.nowMs();
    client.close();
    int answered = (int) Arrays.stream(status).filter(s -> s >= 200 && s < 300).count();
    JsonObject statsTouched = mock.stats();
    Jvm.Memory active = Jvm.measure(pid, clock);
    Cold.log("churn: %d/%d answered in %.0f ms, %d VMs started, heap %d MiB (baseline %d MiB); waiting for idle stop",
        answered, count, lastTouchMs - touchStart, statsTouched.getInteger("started") - statsBefore.getInteger("started"),
        active.heapUsedBytes() >> 20, baseline.heapUsedBytes() >> 20);

    // Bounded wait for every VM to be stopped: the idle timeout plus a generous margin.
    double deadline = lastTouchMs + idleTimeoutMs + 120_000;
    Double allStoppedMs = null;
    int running = -1;
    while (clock.nowMs() < deadline) {
      running = mock.stats().getInteger("running");
      if (running == 0) {
        allStoppedMs = clock.nowMs();
        break;
      }
      Thread.sleep(250);
    }
    Jvm.Memory idle = Jvm.measure(pid, clock);
    JsonObject statsEnd = mock.stats();

    double[] lat = Arrays.stream(latencyMs).sorted().toArray();
    JsonObject r = new JsonObject().put("resources", count).put("concurrency", concurrency)
        .put("answered", answered).put("errors", count - answered).put("allDone", allDone)
        .put("vmsStarted", statsTouched.getInteger("started") - statsBefore.getInteger("started"))
        .put("touchMs", Stats.round(lastTouchMs - touchStart))
        .put("touchLatencyP50Ms", Stats.round(Stats.percentile(lat, 50)))
        .put("touchLatencyP99Ms", Stats.round(Stats.percentile(lat, 99)))
        .put("idleTimeoutMs", idleTimeoutMs)
        .put("allStopped", allStoppedMs != null).put("runningAtEnd", running)
        .put("stoppedAfterLastTouchMs", allStoppedMs == null ? null : Stats.round(allStoppedMs - lastTouchMs))
        .put("vmsStopped", statsEnd.getInteger("stopped") - statsBefore.getInteger("stopped"))
        .put("heapBaselineBytes", baseline.heapUsedBytes()).put("heapActiveBytes", active.heapUsedBytes())
        .put("heapIdleBytes", idle.heapUsedBytes())
        .put("heapBytesPerResourceActive", (active.heapUsedBytes() - baseline.heapUsedBytes()) / (double) count)
        .put("heapBytesPerResourceIdle", (idle.heapUsedBytes() - baseline.heapUsedBytes()) / (double) count)
        .put("rssBaselineBytes", baseline.rssBytes()).put("rssActiveBytes", active.rssBytes())
        .put("rssIdleBytes", idle.rssBytes());
    Files.writeString(out, r.encodePrettily());
    Cold.log("churn: all stopped=%s after %s ms (idle timeout %d ms); heap/resource active %.0f B, idle %.0f B",
        allStoppedMs != null, r.getValue("stoppedAfterLastTouchMs"), idleTimeoutMs,
        r.getDouble("heapBytesPerResourceActive"), r.getDouble("heapBytesPerResourceIdle"));
  }
}
