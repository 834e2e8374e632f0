package dev.smartgateway.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.smartgateway.proxy.AccessLog;
import dev.smartgateway.proxy.AccessLogAppender;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access log when stdout does not keep up: every line is written or counted as dropped, the count is told
 * on stderr, and the requests themselves never wait for stdout. First the real thing (the gateway as a child
 * process whose stdout the test stops reading), then the writer alone with a sink that blocks or fails.
 */
class AccessLogLossTest {

  private static final Pattern DROPPED_IN_ALL =
      Pattern.compile("access log: (\\d+) lines dropped .*\\((\\d+) dropped in all\\)");
  private static final int REQUESTS = 3_000;

  @TempDir
  Path dir;
  private Vertx vertx;
  private Context context;
  // Vert.x closes an unreferenced client: held here for the whole test.
  private HttpClientAgent client;

  @AfterEach
  void closeClient() {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @Test
  void aStalledStdoutCostsCountedLinesAndNeverStallsARequest() throws Exception {
    Path config = Files.writeString(dir.resolve("gateway.yaml"), """
        server: {host: 127.0.0.1, port: 0, accessLogQueue: 200}
        provider: {type: mock, embedded: true, bootMinMs: 50, bootMaxMs: 50, seed: 42}
        """);
    Stdout stdout = new Stdout();
    try (GatewayProcess gateway = GatewayProcess.fromClassPath(config, List.of("-Xmx256m"), dir, stdout::read)) {
      vertx = Vertx.vertx();
      context = vertx.getOrCreateContext();
      client = vertx.httpClientBuilder()
          .with(new HttpClientOptions().setKeepAlive(true).setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()))
          .with(new PoolOptions().setHttp1MaxSize(50).setMaxWaitQueueSize(-1))
          .build();
      assertThat(get("/smart_proxy/demo/g1/warm").status).isEqualTo(200);
      eventually("the warm-up's line is on stdout", () -> stdout.lines().size() == 1);

      stdout.pause();
      List<Timed> replies = java.util.Collections.synchronizedList(new ArrayList<>());
      AtomicInteger next = new AtomicInteger();
      List<Future<Void>> clients = new ArrayList<>();
      for (int c = 0; c < 50; c++) {
        clients.add(oneAfterAnother(next, replies));
      }
      await(Future.all(clients), Duration.ofSeconds(120));
      long slowest = 0;
      assertThat(replies).hasSize(REQUESTS);
      for (Timed reply : replies) {
        assertThat(reply.status).isEqualTo(200);
        slowest = Math.max(slowest, reply.millis);
      }
      eventually("stderr tells of dropped lines while stdout is stalled", Duration.ofSeconds(10),
          () -> droppedInAll(gateway.output()) > 0);
      // The writer is stuck on the full pipe and the queue is full: a request is still answered at once.
      for (int i = 0; i < 20; i++) {
        Timed probe = get("/smart_proxy/demo/g1/probe/" + i);
        assertThat(probe.status).isEqualTo(200);
        // A request stalled behind stdout would wait until stdout is resumed, below: the bounds only tell that apart
        // from a slow machine (a loaded CI took 3.2 s for the slowest of the 3 000).
        assertThat(probe.millis).as("a request while stdout is stalled").isLessThan(5_000);
      }
      assertThat(slowest).as("the slowest of %d requests (50 at a time) while stdout was stalled", REQUESTS)
          .isLessThan(15_000);
      // A pause takes hold once the read under way returns: the line it brings may still come in.
      assertThat(stdout.lines().size()).as("lines read while paused").isLessThanOrEqualTo(2);

      stdout.resume();
      int total = 1 + REQUESTS + 20;
      eventually("every line written or counted as dropped", Duration.ofSeconds(20),
          () -> stdout.lines().size() + droppedInAll(gateway.output()) == total);
      long dropped = droppedInAll(gateway.output());
      assertThat(dropped).as("lines dropped").isPositive();
      Set<String> uris = new HashSet<>();
      for (String line : stdout.lines()) {
        assertThat(uris.add(new JsonObject(line).getString("uri"))).as("one line per request: %s", line).isTrue();
      }
      assertThat(uris).hasSize(total - (int) dropped).contains("/smart_proxy/demo/g1/warm");
      // Each WARN tells how many were dropped since the one before; together they make the total.
      long told = 0;
      for (String line : gateway.output().split("\n")) {
        Matcher m = DROPPED_IN_ALL.matcher(line);
        if (m.find()) {
          told += Long.parseLong(m.group(1));
        }
      }
      assertThat(told).isEqualTo(dropped);
    } finally {
      stdout.resume();
    }
  }

  @Test
  void theWriterCountsWhatABlockedSinkCostsAndNeverBlocksTheCaller() throws Exception {
    BlockingSink sink = new BlockingSink();
    AccessLogAppender appender = appender(sink, 50);
    try (LogCapture warnings = LogCapture.of(AccessLog.class)) {
      appender.doAppend(event("first"));
      eventually("the first line reaches the sink and blocks there", () -> sink.blocked.get() > 0);

      long began = System.nanoTime();
      for (int i = 0; i < 1_000; i++) {
        appender.doAppend(event("line " + i));
      }
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
      assertThat(tookMs).as("1000 lines logged while the sink blocks").isLessThan(1_000);
      assertThat(appender.dropped()).as("the queue holds 50").isGreaterThanOrEqualTo(1_000 - 50);
      eventually("a WARN tells how many were dropped", Duration.ofSeconds(5),
          () -> !warnings.matching("dropped in all").isEmpty());

      sink.release.countDown();
      assertThat(appender.drain(Duration.ofSeconds(10))).isTrue();
      assertThat(appender.written() + appender.dropped()).isEqualTo(1_001);
      assertThat(sink.lines()).hasSize((int) appender.written()).startsWith("first");
    } finally {
      sink.release.countDown();
      appender.stop();
    }
  }

  @Test
  void linesWhoseWriteFailsAreCountedAsDropped() {
    AccessLogAppender appender = appender(new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("Broken pipe");
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        throw new IOException("Broken pipe");
      }
    }, 100);
    try (LogCapture warnings = LogCapture.of(AccessLog.class)) {
      for (int i = 0; i < 10; i++) {
        appender.doAppend(event("line " + i));
      }
      assertThat(appender.drain(Duration.ofSeconds(5))).isTrue();
      assertThat(appender.written()).isZero();
      assertThat(appender.dropped()).isEqualTo(10);
      assertThat(warnings.matching("writing to stdout failed", "Broken pipe")).hasSize(1);
    } finally {
      appender.stop();
    }
  }

  // ------------------------------------------------------------------ helpers

  private record Timed(int status, long millis) {
  }

  /** The stalled requests, one after another until all are sent: one of 50 such clients. */
  private Future<Void> oneAfterAnother(AtomicInteger next, List<Timed> replies) {
    int i = next.getAndIncrement();
    if (i >= REQUESTS) {
      return Future.succeededFuture();
    }
    return send("/smart_proxy/demo/g1/stalled/" + i).compose(reply -> {
      replies.add(reply);
      return oneAfterAnother(next, replies);
    });
  }

  /** A GET timed from the moment it is asked for; started on the client's own context, as Harness does. */
  private Future<Timed> send(String uri) {
    long began = System.nanoTime();
    Promise<Timed> timed = Promise.promise();
    context.runOnContext(v -> client.request(HttpMethod.GET, uri)
        .compose(request -> request.send())
        .compose(response -> response.body().map(body -> new Timed(response.statusCode(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began))))
        .onComplete(timed));
    return timed.future();
  }

  private Timed get(String uri) {
    return await(send(uri));
  }

  /** The last "N dropped in all" the gateway's stderr told of; 0 before any. */
  private static long droppedInAll(String stderr) {
    long last = 0;
    for (String line : stderr.split("\n")) {
      Matcher m = DROPPED_IN_ALL.matcher(line);
      if (m.find()) {
        last = Long.parseLong(m.group(2));
      }
    }
    return last;
  }

  private static AccessLogAppender appender(OutputStream sink, int queue) {
    AccessLogAppender appender = new AccessLogAppender(sink);
    appender.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    appender.setQueueSize(queue);
    appender.start();
    return appender;
  }

  private static LoggingEvent event(String message) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    return new LoggingEvent(AccessLogLossTest.class.getName(), context.getLogger("access"), Level.INFO, message,
        null, null);
  }

  /** The child's stdout, read line by line unless paused: paused, it fills the pipe and the gateway's writer blocks. */
  private static final class Stdout {
    private final List<String> lines = new ArrayList<>();
    private final Object gate = new Object();
    private boolean paused;

    void read(InputStream in) {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        while (true) {
          synchronized (gate) {
            while (paused) {
              gate.wait();
            }
          }
          String line = reader.readLine();
          if (line == null) {
            return;
          }
          synchronized (lines) {
            lines.add(line);
          }
        }
      } catch (IOException | InterruptedException e) {
        // The process ended.
      }
    }

    void pause() {
      synchronized (gate) {
        paused = true;
      }
    }

    void resume() {
      synchronized (gate) {
        paused = false;
        gate.notifyAll();
      }
    }

    List<String> lines() {
      synchronized (lines) {
        return List.copyOf(lines);
      }
    }
  }

  /** Blocks the writer on its first write until released; keeps what it was given. */
  private static final class BlockingSink extends OutputStream {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicLong blocked = new AtomicLong();
    private final ByteArrayOutputStream got = new ByteArrayOutputStream();

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      blocked.incrementAndGet();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      synchronized (got) {
        got.write(b, off, len);
      }
    }

    List<String> lines() {
      synchronized (got) {
        String text = got.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
      }
    }
  }
}
