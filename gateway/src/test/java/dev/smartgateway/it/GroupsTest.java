package dev.smartgateway.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.smartgateway.it.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;

class GroupsTest {

  private Harness harness;

  @BeforeEach
  void start() {
    harness = Harness.start(50, 150, """
        resources:
          payroll: {allowedGroups: [finance, admin]}
        """);
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void aVmStartedForOneGroupServesCallersHoldingMoreGroups() {
    String first = await(harness.get("/smart_proxy/demo/g1/")).json().getString("vm");
    String second = await(harness.get("/smart_proxy/demo/g1,g2/")).json().getString("vm");

    assertThat(second).isEqualTo(first);
    assertThat(harness.stats().getInteger("started")).isEqualTo(1);
  }

  @Test
  void aCallerWithoutTheVmsGroupsGetsItsOwnVm() {
    Harness.Reply g1 = await(harness.get("/smart_proxy/demo/g1/"));
    Harness.Reply g2 = await(harness.get("/smart_proxy/demo/g2/"));

    assertThat(g2.json().getString("vm")).isNotEqualTo(g1.json().getString("vm"));
    assertThat(g2.json().getJsonArray("groups").getList()).containsExactly("g2");
    assertThat(harness.stats().getInteger("started")).isEqualTo(2);
  }

  @Test
  void groupsOutsideAllowedGroupsAreRefusedWith403AndStartNothing() {
    Harness.Reply refused = await(harness.get("/smart_proxy/payroll/g1,g2/salaries"));

    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(refused.json().getString("resource")).isEqualTo("payroll");
    assertThat(refused.json().getInteger("status")).isEqualTo(403);
    assertThat(harness.stats().getInteger("started")).isZero();

    assertThat(await(harness.get("/smart_proxy/payroll/finance/salaries")).status()).isEqualTo(200);
  }
}
