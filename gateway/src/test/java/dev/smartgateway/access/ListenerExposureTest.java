package dev.smartgateway.access;

import dev.smartgateway.config.AccessConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ListenerExposureTest {

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.0.1.1", "::1", "[::1]", "localhost", "LOCALHOST", "0:0:0:0:0:0:0:1"})
  void aLoopbackListenerNeedsNoWarning(String host) {
    assertThat(ListenerExposure.isLoopbackOnly(host)).isTrue();
    assertThat(ListenerExposure.warning(AccessConfig.defaults(), host, 8080)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "::", "10.0.0.5", "192.0.2.1", "gateway.example", "my-host"})
  void anyOtherListenerInUrlModeWarnsWhatItMeans(String host) {
    assertThat(ListenerExposure.isLoopbackOnly(host)).isFalse();
    assertThat(ListenerExposure.warning(AccessConfig.defaults(), host, 8080)).hasValueSatisfying(warning -> assertThat(warning)
        .contains("access.groups is url", "binds " + host, "trusted as asserted", "anyone who can reach port 8080 can claim any group"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "10.0.0.5"})
  void inJwtModeTheGroupsAreVerifiedSoAnOpenListenerIsNoWarning(String host) {
    AccessConfig jwt = new AccessConfig(AccessConfig.TrustMode.JWT,
        dev.smartgateway.config.JwtConfig.hmac("JWT_SECRET", "https://idp.test", "sg"));
    assertThat(ListenerExposure.warning(jwt, host, 8080)).isEmpty();
  }
}
