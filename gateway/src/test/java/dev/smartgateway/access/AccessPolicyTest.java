package dev.smartgateway.access;

import dev.smartgateway.config.ResourceSettings;
import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessPolicyTest {

  private final AccessPolicy policy = new AccessPolicy();

  private static ResourceSettings allowing(String... groups) {
    ResourceSettings d = ResourceSettings.defaults();
    return new ResourceSettings(d.startTimeout(), d.idleTimeout(), d.maxWaiting(), d.drainTimeout(), d.readiness(), d.liveness(),
        d.releaseConcurrency(), d.connectTimeout(), d.responseTimeout(), Set.of(groups), d.browser(), d.provider(),
        d.maxInstances(), d.startBackoff(), d.ignoreUserAgents(), d.idlePolicy(), d.minInstances(), d.targetConcurrency(), d.scaleDownDelay(), d.balancing(), d.keepWarm(), d.cache());
  }

  @Test
  void anUnrestrictedResourceLetsAnyoneIn() {
    assertThatCode(() -> policy.check("demo", GroupSet.of("anyone"), ResourceSettings.defaults())).doesNotThrowAnyException();
  }

  @Test
  void oneAllowedGroupIsEnough() {
    assertThatCode(() -> policy.check("demo", GroupSet.of("dev", "ops"), allowing("ops", "admin")))
        .doesNotThrowAnyException();
    assertThatCode(() -> policy.check("demo", GroupSet.of("admin"), allowing("ops", "admin"))).doesNotThrowAnyException();
  }

  @Test
  void aCallerWithNoneOfTheAllowedGroupsIsForbiddenAndToldWhichAreAllowed() {
    assertThatThrownBy(() -> policy.check("demo", GroupSet.of("dev", "qa"), allowing("ops", "admin")))
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.FORBIDDEN);
          assertThat(e.resource()).isEqualTo("demo");
          assertThat(e.detail())
              .isEqualTo("resource demo requires one of the groups admin,ops; the request holds dev,qa");
        });
  }

  @Test
  void groupNamesAreCaseSensitive() {
    assertThatThrownBy(() -> policy.check("demo", GroupSet.of("OPS"), allowing("ops")))
        .isInstanceOf(GatewayException.class);
  }
}
