package dev.smartgateway.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.smartgateway.it.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;

class RestartTest {

  private Harness harness;

  @BeforeEach
  void start() {
    harness = Harness.start(200, 400, "");
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void aRestartedGatewayAdoptsTheRunningVmInsteadOfStartingAnother() {
    String before = await(harness.get("/smart_proxy/demo/g1/")).json().getString("vm");

    harness.stopGateway();
    harness.startGateway();
    Harness.Reply after = await(harness.get("/smart_proxy/demo/g1,g2/again"));

    assertThat(after.status()).isEqualTo(200);
    assertThat(after.json().getString("vm")).isEqualTo(before);
    assertThat(harness.stats().getInteger("started")).isEqualTo(1);
  }

  @Test
  void closingTheGatewayLeavesVmsRunning() {
    String vm = await(harness.get("/smart_proxy/demo/g1/")).json().getString("vm");

    harness.stopGateway();

    assertThat(harness.vm(vm).getString("state")).isEqualTo("RUNNING");
    harness.startGateway();
  }
}
