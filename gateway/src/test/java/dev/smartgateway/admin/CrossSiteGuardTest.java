package dev.smartgateway.admin;

import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Web pages elsewhere cannot drive the admin API through the operator's browser. */
class CrossSiteGuardTest {

  @Test
  void programsThatSendNoBrowserHeadersPass() {
    assertThat(CrossSiteGuard.refusal(HttpMethod.POST, "127.0.0.1:8081", null, null, true)).isNull();
    assertThat(CrossSiteGuard.refusal(HttpMethod.GET, "localhost:8081", null, null, true)).isNull();
    assertThat(CrossSiteGuard.refusal(HttpMethod.DELETE, "[::1]:8081", null, null, true)).isNull();
  }

  @Test
  void theConsoleItselfPasses() {
    assertThat(CrossSiteGuard.refusal(HttpMethod.POST, "127.0.0.1:8081", "http://127.0.0.1:8081", "same-origin", true))
        .isNull();
  }

  @Test
  void aChangeFromAnotherOriginIsRefused() {
    assertThat(CrossSiteGuard.refusal(HttpMethod.POST, "127.0.0.1:8081", "http://evil.example", null, true))
        .contains("another origin");
    assertThat(CrossSiteGuard.refusal(HttpMethod.PUT, "admin.internal:8081", "https://evil.example", null, false))
        .contains("another origin");
    assertThat(CrossSiteGuard.refusal(HttpMethod.GET, "127.0.0.1:8081", "http://evil.example", null, true))
        .as("a read is not a change (and CORS keeps its answer from the page)").isNull();
  }

  @Test
  void whatABrowserMarksCrossSiteIsRefusedEvenAsARead() {
    assertThat(CrossSiteGuard.refusal(HttpMethod.GET, "127.0.0.1:8081", null, "cross-site", true)).isNotNull();
  }

  @Test
  void withoutATokenANameThatIsNotLoopbackIsRefused() {
    assertThat(CrossSiteGuard.refusal(HttpMethod.GET, "rebound.evil.example:8081", null, null, true))
        .as("DNS rebinding").contains("loopback");
    assertThat(CrossSiteGuard.refusal(HttpMethod.GET, "admin.internal:8081", null, null, false))
        .as("with a token, any name").isNull();
  }
}
