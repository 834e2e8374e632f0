package dev.smartgateway.it;

import dev.smartgateway.cloud.qemu.QemuMachine;
import dev.smartgateway.lifecycle.InstanceView;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.smartgateway.it.Harness.await;
import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway in front of real VMs ({@code provider.type: qemu}) booted on demand from the example guest
 * (examples/qemu: Debian's cloud kernel and a busybox initramfs whose CGI answers with the path it received and the
 * VM it runs in). One gateway serves the whole class, to keep it fast; each test has a resource of its own (the same
 * guest under another name), so that they never share a VM. Guests get 128 MiB and, without usable KVM, are
 * emulated (TCG) on a busy machine: the deadlines are generous. Every QEMU left is killed after the class.
 */
class QemuGatewayTest {

  private static final Logger LOG = LoggerFactory.getLogger(QemuGatewayTest.class);
  /** A cold start under TCG takes seconds; several at once on a loaded 2-core machine, far more. */
  private static final Duration BOOT = Duration.ofSeconds(120);

  @TempDir
  static Path stateDir;
  private static Harness harness;

  @BeforeAll
  static void gateway() {
    QemuMachine.require();
    Path guest = QemuMachine.guest();
    StringBuilder resources = new StringBuilder();
    for (String resource : List.of("cold", "burst", "brief", "crash", "restart", "napper")) {
      resources.append("""
                %s:
                  kernel: %s
                  initrd: %s
                  append: quiet
                  guestPort: 8080
                  memory: 128m
                  stopTimeout: 20s
                  cpus: %d
          """.formatted(resource, guest.resolve("vmlinuz"), guest.resolve("initrd.gz"),
          // The burst's 50 CGI requests at once fork 50 shells in an emulated guest: on a loaded machine one vCPU
          // left some unread past busybox httpd's 60 s header timeout (408).
          resource.equals("burst") ? 2 : 1));
    }
    harness = Harness.gatewayOnly("""
        server: {host: 127.0.0.1, port: 0}
        gateway: {id: qemu-it}
        provider:
          type: qemu
          stateDir: %s
          onShutdown: leave
          resources:
        %s
        defaults: {startTimeout: 110s, idleTimeout: 10m}
        resources:
          # An emulated guest forks a shell per CGI request: 50 at once can take minutes under a loaded CI.
          # Held for a place too (maxConcurrency): startTimeout covers the boot and the wait for a turn.
          burst: {responseTimeout: 3m, startTimeout: 4m, maxConcurrency: 8, maxInstances: 1}
          brief: {idleTimeout: 2s}
          napper: {idleTimeout: 2s, idlePolicy: suspend}
        """.formatted(stateDir, resources));
  }

  @AfterAll
  static void endEveryVm() {
    try {
      if (harness != null) {
        harness.close();
      }
    } finally {
      if (stateDir != null) {
        QemuMachine.killAll(stateDir);
      }
    }
  }

  @Test
  void aColdRequestBootsAVmWhoseGuestAnswersIt() {
    long started = System.nanoTime();
    Harness.Reply reply = await(harness.get("/smart_proxy/cold/g1/hello/?x=1"), BOOT);

    assertThat(reply.status()).isEqualTo(200);
    JsonObject echo = reply.json();
    assertThat(echo.getString("path")).isEqualTo("/hello/?x=1");
    assertThat(echo.getString("method")).isEqualTo("GET");
    assertThat(echo.getString("vm")).as("the instance id the guest read from its kernel command line")
        .startsWith("sg-cold-");
    assertThat(vmsOf("cold")).containsOnlyKeys(echo.getString("vm"));
    LOG.info("cold start of a QEMU VM through the gateway: {} ms at the client, {} ms held",
        (System.nanoTime() - started) / 1_000_000, reply.header("X-Smart-Gateway-Wait-Ms"));
  }

  @Test
  void aBurstOfConcurrentRequestsBootsExactlyOneVm() {
    // Fifty at once, as DockerGatewayTest's burst. The example guest's busybox httpd listens with a backlog of 9
    // behind QEMU's user-mode network: fifty connections at once overflowed it and left some unanswered for
    // minutes (TCP retransmits backing off; 504, or 408 from httpd). maxConcurrency 8 keeps the rest waiting in
    // the gateway instead; maxInstances 1 keeps the pool from growing on that backlog (its VM is full while
    // requests wait), so that one VM has to answer all fifty.
    List<Future<Harness.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      replies.add(harness.get("/smart_proxy/burst/g1/burst/" + i + "/"));
    }
    await(Future.all(replies), Duration.ofMinutes(5));

    Set<String> servedBy = new HashSet<>();
    for (int i = 0; i < replies.size(); i++) {
      Harness.Reply reply = replies.get(i).result();
      assertThat(reply.status()).as("request %d: %s", i, reply.body()).isEqualTo(200);
      assertThat(reply.json().getString("path")).isEqualTo("/burst/" + i + "/");
      servedBy.add(reply.json().getString("vm"));
    }
    assertThat(servedBy).hasSize(1);
    assertThat(vmsOf("burst").keySet()).isEqualTo(servedBy);
  }

  @Test
  void anIdleVmIsPoweredOffAndItsQemuProcessEnds() {
    String vm = await(harness.get("/smart_proxy/brief/g1/"), BOOT).json().getString("vm");
    ProcessHandle qemu = vmsOf("brief").get(vm);
    assertThat(qemu).as("the QEMU process of %s", vm).isNotNull();

    eventually("the QEMU process of the idle VM has ended", Duration.ofSeconds(60), () -> !qemu.isAlive());

    assertThat(vmsOf("brief")).isEmpty();
    eventually("the gateway forgot the VM", () -> instancesOf("brief").isEmpty());
  }

  @Test
  void aKilledQemuIsNoticedAndTheNextRequestIsServedByAFreshVm() {
    String killed = await(harness.get("/smart_proxy/crash/g1/"), BOOT).json().getString("vm");
    ProcessHandle qemu = vmsOf("crash").get(killed);

    qemu.destroyForcibly();
    eventually("the gateway noticed", Duration.ofSeconds(30), () -> instancesOf("crash").isEmpty());
    Harness.Reply next = await(harness.get("/smart_proxy/crash/g1/after/"), BOOT);

    assertThat(next.status()).isEqualTo(200);
    String fresh = next.json().getString("vm");
    assertThat(fresh).isNotEqualTo(killed);
    assertThat(vmsOf("crash")).containsOnlyKeys(fresh);
  }

  @Test
  void aRestartedGatewayAdoptsTheRunningVmInsteadOfBootingAnother() {
    String before = await(harness.get("/smart_proxy/restart/g1/"), BOOT).json().getString("vm");
    ProcessHandle qemu = vmsOf("restart").get(before);

    harness.stopGateway();
    assertThat(qemu.isAlive()).as("left running by the closed gateway").isTrue();
    harness.startGateway();
    Harness.Reply after = await(harness.get("/smart_proxy/restart/g1/again/"), BOOT);

    assertThat(after.status()).isEqualTo(200);
    assertThat(after.json().getString("vm")).isEqualTo(before);
    assertThat(after.json().getString("path")).isEqualTo("/again/");
    assertThat(vmsOf("restart")).containsOnlyKeys(before);
  }

  @Test
  void withIdlePolicySuspendAnIdleVmIsPausedAndTheNextRequestResumesIt() {
    Harness.Reply first = await(harness.get("/smart_proxy/napper/g1/"), BOOT);
    String vm = first.json().getString("vm");

    eventually("the idle VM is suspended", Duration.ofSeconds(60),
        () -> instancesOf("napper").stream().anyMatch(i -> i.state().name().equals("SUSPENDED")));
    InstanceView paused = instancesOf("napper").get(0);
    assertThat(vmsOf("napper")).as("paused, not powered off: its QEMU runs on").containsOnlyKeys(vm);
    assertThat(answersDirectly(paused.endpoint())).as("a paused guest answers nothing, even at its own address")
        .isFalse();

    Harness.Reply resumed = await(harness.get("/smart_proxy/napper/g1/later/"), BOOT);

    assertThat(resumed.status()).isEqualTo(200);
    assertThat(resumed.json().getString("vm")).isEqualTo(vm);
    assertThat(resumed.json().getString("path")).isEqualTo("/later/");
    assertThat(instancesOf("napper")).extracting(i -> i.state().name()).containsExactly("READY");
  }

  private static Map<String, ProcessHandle> vmsOf(String resource) {
    Map<String, ProcessHandle> all = QemuMachine.vms(stateDir);
    all.keySet().removeIf(id -> !id.startsWith("sg-" + resource + "-"));
    return all;
  }

  private static List<InstanceView> instancesOf(String resource) {
    return await(harness.gateway.lifecycle().instances()).stream().filter(i -> i.resource().equals(resource)).toList();
  }

  /** Whether the VM's forwarded port answers HTTP within two seconds, bypassing the gateway. */
  private static boolean answersDirectly(String hostPort) {
    HttpClient direct = harness.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    try {
      String[] parts = hostPort.replaceFirst("^http://", "").split(":");
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(parts[0])
          .setPort(Integer.parseInt(parts[1])).setURI("/").setTimeout(2_000);
      return await(harness.onContext(() -> direct.request(options).compose(req -> req.send())
          .map(resp -> true).otherwise(false)));
    } finally {
      direct.close();
    }
  }
}
