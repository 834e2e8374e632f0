package dev.smartgateway.it;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway in front of real local programs started on demand ({@code provider.type: process}): the
 * backend is a small Python HTTP server that answers with its own pid, so every test can check by pid that
 * processes start once, stop when idle, and never outlive the gateway.
 */
class ProcessGatewayTest {

  private static final String APP = """
      import http.server, json, os, sys
      port = int(sys.argv[1])
      if len(sys.argv) > 2 and not os.path.exists(sys.argv[2]):
          open(sys.argv[2], "w").close()
          sys.exit(3)  # the first launch crashes; later ones serve
      class Handler(http.server.BaseHTTPRequestHandler):
          def do_GET(self):
              body = json.dumps({"pid": os.getpid(), "path": self.path,
                                 "groups": os.environ.get("SMART_GATEWAY_GROUPS")}).encode()
              self.send_response(200)
              self.send_header("Content-Type", "application/json")
              self.send_header("Content-Length", str(len(body)))
              self.end_headers()
              self.wfile.write(body)
          def log_message(self, *args):
              pass
      http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
      """;

  @TempDir
  Path dir;
  private Harness harness;
  private final Set<Long> pids = new HashSet<>();

  @BeforeEach
  void start() throws IOException {
    Path app = Files.writeString(dir.resolve("app.py"), APP);
    String command = "[python3, '" + app + "', '{port}']";
    String flaky = "[python3, '" + app + "', '{port}', '" + dir.resolve("crashed-once") + "']";
    harness = Harness.gatewayOnly("""
        server: {host: 127.0.0.1, port: 0}
        provider:
          type: process
          stateDir: '%s'
          onShutdown: stop
          resources:
            app: {command: %s, readiness: {path: /}, stopTimeout: 5s}
            flaky: {command: %s, readiness: {path: /}, stopTimeout: 5s}
        defaults: {startTimeout: 30s, idleTimeout: 1s}
        """.formatted(dir.resolve("state"), command, flaky));
  }

  @AfterEach
  void noProcessOutlivesTheGateway() {
    harness.close();
    for (long pid : pids) {
      eventually("process " + pid + " is gone", () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }
  }

  @Test
  void aColdRequestStartsTheProcessAndGetsItsAnswer() {
    Harness.Reply reply = await(harness.get("/smart_proxy/app/g1,g2/hello?x=1"));

    assertThat(reply.status()).isEqualTo(200);
    JsonObject echo = seen(reply);
    assertThat(echo.getString("path")).isEqualTo("/hello?x=1");
    assertThat(echo.getString("groups")).isEqualTo("g1,g2");
    assertThat(reply.header("X-Smart-Gateway-Wait-Ms")).isNotNull();
  }

  @Test
  void aConcurrentBurstStartsExactlyOneProcess() {
    List<Future<Harness.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      replies.add(harness.get("/smart_proxy/app/g1/" + i));
    }
    await(Future.all(replies));

    Set<Long> servedBy = new HashSet<>();
    for (Future<Harness.Reply> f : replies) {
      assertThat(f.result().status()).isEqualTo(200);
      servedBy.add(seen(f.result()).getLong("pid"));
    }
    assertThat(servedBy).hasSize(1);
  }

  @Test
  void idleStopEndsTheProcess() {
    long pid = seen(await(harness.get("/smart_proxy/app/g1/"))).getLong("pid");

    eventually("the idle process is stopped", () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    long next = seen(await(harness.get("/smart_proxy/app/g1/again"))).getLong("pid");
    assertThat(next).as("the next request starts a fresh process").isNotEqualTo(pid);
  }

  @Test
  void aCrashingProcessGives502ThenARequestAfterTheBackoffRecovers() {
    Harness.Reply crashed = await(harness.get("/smart_proxy/flaky/g1/"));

    assertThat(crashed.status()).isEqualTo(502);
    assertThat(crashed.json().getString("type")).isEqualTo("urn:smart-gateway:problem:boot-failed");
    assertThat(crashed.json().getString("resource")).isEqualTo("flaky");
    Harness.Reply[] recovered = new Harness.Reply[1];
    eventually("a request after the start backoff is served", () -> {
      recovered[0] = await(harness.get("/smart_proxy/flaky/g1/"));
      if (recovered[0].status() != 200) {
        // Until the backoff is over, the failure is answered again (with when to come back), nothing started.
        assertThat(recovered[0].json().getString("type")).isEqualTo("urn:smart-gateway:problem:boot-failed");
        assertThat(recovered[0].header("Retry-After")).isNotNull();
      }
      return recovered[0].status() == 200;
    });
    seen(recovered[0]);
  }

  @Test
  void aProcessKilledWhileServingIsReplaced() {
    long pid = seen(await(harness.get("/smart_proxy/app/g1/"))).getLong("pid");

    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    eventually("the gateway noticed", () -> await(harness.gateway.lifecycle().instances()).isEmpty());

    Harness.Reply next = await(harness.get("/smart_proxy/app/g1/after"));
    assertThat(next.status()).isEqualTo(200);
    assertThat(seen(next).getLong("pid")).isNotEqualTo(pid);
  }

  private JsonObject seen(Harness.Reply reply) {
    JsonObject echo = reply.json();
    pids.add(echo.getLong("pid"));
    return echo;
  }
}
