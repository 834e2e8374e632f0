package dev.smartgateway.it;

import dev.smartgateway.it.Harness.Reply;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code /health} and {@code /ready} on the admin listener. */
class HealthTest {

  @TempDir
  Path dir;

  private static String check(Reply ready, String id) {
    for (Object c : ready.json().getJsonArray("checks")) {
      JsonObject check = (JsonObject) c;
      if (check.getString("id").equals(id)) {
        return check.getString("status");
      }
    }
    throw new AssertionError("no check " + id + " in " + ready.body());
  }

  @Test
  void aServingGatewayIsAliveAndReadyWithoutAToken() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "t0ken");
    try (Harness h = Harness.start(5, 10, "admin: {port: 0, tokenFile: '" + token + "'}\n")) {
      Reply health = h.admin(HttpMethod.GET, "/health", null);
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.json().getString("status")).isEqualTo("UP");
      Reply ready = h.admin(HttpMethod.GET, "/ready", null);
      assertThat(ready.status()).as("%s", ready.body()).isEqualTo(200);
      assertThat(check(ready, "listeners")).isEqualTo("UP");
      assertThat(check(ready, "cloud-1")).isEqualTo("UP");
      assertThat(check(ready, "store")).isEqualTo("UP");
    }
  }

  @Test
  void aStoreThatFailsMakesTheGatewayNotReadyWhileItGoesOnProxyingAndNothingIsLost() throws Exception {
    Path state = dir.resolve("state");
    try (Harness h = Harness.start(5, 10, "store: {type: embedded}\nstate: {dir: '" + state + "'}\n")) {
      assertThat(Harness.await(h.get("/smart_proxy/app/g/")).status()).isEqualTo(200);
      // The same database, opened beside the gateway in this JVM: its tables go away under the gateway's feet.
      try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + state.resolve("gateway")
          + ";DB_CLOSE_ON_EXIT=FALSE");
           Statement sql = db.createStatement()) {
        sql.execute("ALTER TABLE heartbeat RENAME TO heartbeat_away");
        sql.execute("ALTER TABLE events RENAME TO events_away");

        assertThat(h.admin(HttpMethod.POST, "/admin/resources/other/start", "{\"groups\": [\"g\"]}").status())
            .as("lifecycle events are written meanwhile").isEqualTo(202);
        eventually("not ready while the store fails", () -> {
          Reply ready = h.admin(HttpMethod.GET, "/ready", null);
          return ready.status() == 503 && check(ready, "store").equals("DOWN") && check(ready, "listeners").equals("UP");
        });
        assertThat(Harness.await(h.get("/smart_proxy/app/g/again")).status()).as("proxying goes on").isEqualTo(200);
        assertThat(h.admin(HttpMethod.GET, "/admin/events", null).status()).as("history cannot be read").isEqualTo(503);

        sql.execute("ALTER TABLE heartbeat_away RENAME TO heartbeat");
        sql.execute("ALTER TABLE events_away RENAME TO events");
      }
      eventually("ready again once the store recovers", () -> h.admin(HttpMethod.GET, "/ready", null).status() == 200);
      JsonObject events = h.admin(HttpMethod.GET, "/admin/events?resource=other&type=STARTING", null).json();
      assertThat(events.getJsonArray("events")).as("what happened meanwhile was kept and written").hasSize(1);
    }
  }

  @Test
  void aGatewayThatIsShuttingDownIsNotReadyWhileItsLastRequestsFinish() {
    try (Harness h = Harness.start("shutdownGrace: 30s", 5, 10, "")) {
      assertThat(Harness.await(h.get("/smart_proxy/app/g/")).status()).isEqualTo(200);
      var slow = h.get("/smart_proxy/app/g/slow?ms=3000");
      h.awaitInFlight(1);
      var closing = h.gateway.close();
      eventually("/ready says shutting down", () -> {
        Reply ready = h.admin(HttpMethod.GET, "/ready", null);
        return ready.status() == 503 && check(ready, "listeners").equals("DOWN");
      });
      assertThat(Harness.await(slow).status()).as("the request in flight finishes").isEqualTo(200);
      Harness.await(closing);
      h.startGateway();
    }
  }
}
