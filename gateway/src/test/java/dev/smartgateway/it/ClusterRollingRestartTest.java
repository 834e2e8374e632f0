package dev.smartgateway.it;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rolling restart (DESIGN section 10): three gateways behind a plain load balancer, each in turn stopped
 * gracefully (SIGTERM: its shutdown drains) and started again, the next only once it has rejoined, while steady
 * traffic runs over all three. No request that reached a live gateway is lost, and one VM serves throughout: the
 * VM's manager leaving hands it to the others, nobody starts a second.
 *
 * <p>The load balancer is the test's client: a request per connection, round-robin over the three; a connection
 * refused (the member is down) is tried on the next member, as a load balancer retries a failed connect. So is a
 * connection closed without an answer — but it counts as lost if any gateway's access log shows it had read the
 * request (a gateway closes, as it stops listening, only connections with no request under way; one whose request
 * had not arrived yet is the one race a client can meet). Anything else — a timeout, a status other than 200 — is a
 * lost request.
 */
class ClusterRollingRestartTest {

  private static final int LANES = 6;
  private static final String RESOURCE = "shop";

  private ClusterHarness cluster;
  private HttpClient balancer;

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger rotation = new AtomicInteger();
  private final AtomicInteger sequence = new AtomicInteger();
  /** Answered with 200, by the member that answered. */
  private final AtomicLongArray answered = new AtomicLongArray(3);
  private final AtomicInteger refused = new AtomicInteger();
  private final Queue<String> lost = new ConcurrentLinkedQueue<>();
  /** Connections closed before any answer came: tried on the next member, checked at the end. */
  private final Queue<String> closedUnanswered = new ConcurrentLinkedQueue<>();
  private final Set<String> vms = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** The query of some request answered with 200 (the access log check is checked on it). */
  private volatile String answeredQuery;
  /** When each gateway was sent SIGTERM (System.nanoTime), 0 before. */
  private final AtomicLongArray terminated = new AtomicLongArray(3);
  /** Requests sent to a gateway before its SIGTERM and answered with 200 after it: the drain at work. */
  private final AtomicInteger drained = new AtomicInteger();

  @AfterEach
  void stopEverything() throws Exception {
    running.set(false);
    if (balancer != null) {
      balancer.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void restartingEachGatewayInTurnUnderTrafficLosesNoRequestAndKeepsOneVm() throws Exception {
    cluster = ClusterHarness.start(300, 500, "idleTimeout: 5m", "heartbeat: 1s, failureTimeout: 5s",
        "admin: {port: 0}\nstore: {type: memory}\n");
    balancer = cluster.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false)
        .setConnectTimeout(5_000));
    // Gateway 0 starts the VM, and manages it until it is restarted itself.
    assertThat(cluster.await(cluster.get(0, "/smart_proxy/" + RESOURCE + "/staff/")).status()).isEqualTo(200);

    List<Future<Void>> lanes = new ArrayList<>();
    for (int i = 0; i < LANES; i++) {
      lanes.add(lane());
    }
    waitForAnswers("traffic on every gateway", new long[] {5, 5, 5});

    for (int i = 0; i < 3; i++) {
      long[] before = answeredNow();
      terminated.set(i, System.nanoTime());
      boolean graceful = cluster.restart(i, Duration.ofSeconds(30));
      assertThat(graceful).as("gateway %d ended by itself after SIGTERM; %s", i, cluster.outputs()).isTrue();
      before[i] += 5; // the restarted gateway serves again before the next one goes
      waitForAnswers("gateway " + i + " serving again after its restart", before);
    }

    running.set(false);
    Future.join(lanes).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    // One VM, never stopped, listed alike by every member (asked while they still run).
    JsonObject stats = cluster.stats();
    assertThat(stats.getLong("started")).as("VMs started; %s", cluster.outputs()).isEqualTo(1);
    assertThat(stats.getLong("stopped")).as("VMs stopped").isZero();
    Set<String> listed = new HashSet<>();
    Set<String> managers = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      JsonArray instances = cluster.admin(i, "/admin/instances?resource=" + RESOURCE).getJsonArray("instances");
      assertThat(instances).as("instances on gateway %d", i).hasSize(1);
      assertThat(instances.getJsonObject(0).getString("state")).isEqualTo("READY");
      listed.add(instances.getJsonObject(0).getString("instanceId"));
      managers.add(instances.getJsonObject(0).getString("manager"));
    }
    assertThat(listed).as("every member lists the same VM").hasSize(1);
    assertThat(managers).as("every member names the same, live manager").hasSize(1).doesNotContainNull();

    // Every access log complete: the closed connections' requests are looked up in all of them.
    cluster.stopAll(Duration.ofSeconds(30));
    assertThat(cluster.accessLogged(answeredQuery)).as("an answered request is in the access log").isTrue();
    lost.addAll(closedAfterReading());
    System.out.printf("rolling restart: %d answered (by gateway: %s), %d of them in flight at their gateway's"
        + " SIGTERM; %d connects refused and %d connections closed unread, each tried on the next member; %d lost%n",
        total(), java.util.Arrays.toString(answeredNow()), drained.get(), refused.get(), closedUnanswered.size(),
        lost.size());
    assertThat(lost).as("requests a live gateway accepted and did not answer with 200 (%d answered, %d connects"
        + " refused and tried on the next member); %s", total(), refused.get(), cluster.outputs()).isEmpty();
    assertThat(drained.get()).as("requests in flight at a SIGTERM and answered (the test saw a drain)")
        .isPositive();
    assertThat(vms).as("every answer came from the one VM").hasSize(1);
  }

  /** One client of the load balancer: a request after the other until the traffic stops. */
  private Future<Void> lane() {
    Promise<Void> done = Promise.promise();
    next(done);
    return done.future();
  }

  private void next(Promise<Void> done) {
    if (!running.get()) {
      done.complete();
      return;
    }
    int n = sequence.getAndIncrement();
    send(n, Math.floorMod(rotation.getAndIncrement(), 3), 0).onComplete(x -> next(done));
  }

  /**
   * Request {@code n} to member {@code member}. A refused connect goes to the next member; so does a connection
   * closed without an answer, noted as a request the gateway may have read — checked against its access log at
   * the end. At most three tries.
   */
  private Future<Void> send(int n, int member, int tries) {
    String uri = "/smart_proxy/" + RESOURCE + "/staff/slow?ms=150&n=" + n + "&try=" + tries;
    long sent = System.nanoTime();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(cluster.gateway(member).port()).setURI(uri).setIdleTimeout(20_000);
    return balancer.request(options)
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(body -> {
          if (resp.statusCode() == 200) {
            answered.incrementAndGet(member);
            long sigterm = terminated.get(member);
            if (sigterm != 0 && sent - sigterm < 0 && System.nanoTime() - sigterm > 0) {
              drained.incrementAndGet();
            }
            vms.add(new JsonObject(body).getString("vm"));
            answeredQuery = uri.substring(uri.indexOf('?'));
          } else {
            lost.add(uri + " at gateway " + member + ": " + resp.statusCode() + " " + body);
          }
          return (Void) null;
        }))
        .recover(failure -> {
          if (tries < 2 && failure instanceof ConnectException) {
            refused.incrementAndGet(); // the member is down: the load balancer's retry on the next one
            return send(n, (member + 1) % 3, tries + 1);
          }
          // Closed, or reset (a listener that closes with connections still in its accept queue makes the kernel
          // reset them): either way a request the gateway may not have read — the access log says at the end.
          if (tries < 2 && (failure instanceof HttpClosedException || failure instanceof java.net.SocketException)) {
            closedUnanswered.add(uri + " at gateway " + member);
            return send(n, (member + 1) % 3, tries + 1);
          }
          lost.add(uri + " at gateway " + member + ": " + failure);
          return Future.succeededFuture();
        });
  }

  /**
   * Connections closed without an answer whose request a gateway had read (its access log has the request): lost.
   * The others were closed by a gateway's listener shutting down before it read them — a request it never
   * received, which a load balancer sends again (RFC 9110 section 9.2.2: a GET is idempotent).
   */
  private List<String> closedAfterReading() throws Exception {
    List<String> read = new ArrayList<>();
    for (String closed : closedUnanswered) {
      String uri = closed.substring(0, closed.indexOf(' '));
      if (cluster.accessLogged(uri.substring(uri.indexOf('?')))) {
        read.add(closed);
      }
    }
    return read;
  }

  private void waitForAnswers(String what, long[] atLeast) throws InterruptedException {
    ClusterHarness.waitFor(what, () -> {
      long[] now = answeredNow();
      for (int i = 0; i < 3; i++) {
        if (now[i] < atLeast[i]) {
          return false;
        }
      }
      return true;
    });
  }

  private long[] answeredNow() {
    return new long[] {answered.get(0), answered.get(1), answered.get(2)};
  }

  private long total() {
    long sum = 0;
    for (long n : answeredNow()) {
      sum += n;
    }
    return sum;
  }
}
