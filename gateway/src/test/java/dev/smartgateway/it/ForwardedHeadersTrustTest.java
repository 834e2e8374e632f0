package dev.smartgateway.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.smartgateway.it.Harness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trust rule for forwarding headers ({@code server.trustedProxies}), seen from the VM: the tests' peer
 * is 127.0.0.1, so it is a trusted proxy exactly when the list covers it. An untrusted client cannot claim
 * another address, scheme, host or prefix; a trusted proxy's chain is kept and extended.
 */
class ForwardedHeadersTrustTest {

  private static final String CLAIMS = "X-Forwarded-For: 203.0.113.7\r\n"
      + "Forwarded: for=203.0.113.7;proto=https;host=public.example\r\n"
      + "X-Forwarded-Proto: https\r\n"
      + "X-Forwarded-Host: public.example\r\n"
      + "X-Forwarded-Prefix: /edge\r\n"
      + "X-Forwarded-Port: 443\r\n"
      + "X-Real-IP: 203.0.113.7\r\n";

  private Harness harness;

  @AfterEach
  void stop() {
    try {
      assertThat(harness.gateway.lifecycle().waiting()).isZero();
      harness.assertClientConnectionsClosed();
    } finally {
      harness.close();
    }
  }

  @Test
  void byDefaultNobodyIsTrustedAndTheClientsClaimsAreReplaced() {
    harness = Harness.start(50, 50, "");

    JsonObject seen = headersSeenByTheVm();

    assertThat(seen.getString("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(seen.getString("forwarded")).isEqualTo("for=127.0.0.1;proto=http;host=gateway");
    assertThat(seen.getString("x-forwarded-proto")).isEqualTo("http");
    assertThat(seen.getString("x-forwarded-host")).isEqualTo("gateway");
    assertThat(seen.getString("x-forwarded-prefix")).isEqualTo("/smart_proxy/echo/g1");
    assertThat(seen.containsKey("x-forwarded-port")).isFalse();
    assertThat(seen.containsKey("x-real-ip")).isFalse();
  }

  @Test
  void aTrustedProxyListThatDoesNotCoverThePeerChangesNothing() {
    harness = Harness.start("trustedProxies: [10.0.0.0/8, '::1']", 50, 50, "");

    JsonObject seen = headersSeenByTheVm();

    assertThat(seen.getString("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(seen.getString("x-forwarded-proto")).isEqualTo("http");
    assertThat(seen.containsKey("x-real-ip")).isFalse();
  }

  @Test
  void aTrustedProxyByAddressHasItsChainExtendedAndItsClaimsKept() {
    harness = Harness.start("trustedProxies: [127.0.0.1]", 50, 50, "");

    JsonObject seen = headersSeenByTheVm();

    assertThat(seen.getString("x-forwarded-for")).isEqualTo("203.0.113.7, 127.0.0.1");
    assertThat(seen.getString("forwarded"))
        .isEqualTo("for=203.0.113.7;proto=https;host=public.example, for=127.0.0.1;proto=http;host=gateway");
    assertThat(seen.getString("x-forwarded-proto")).isEqualTo("https");
    assertThat(seen.getString("x-forwarded-host")).isEqualTo("public.example");
    assertThat(seen.getString("x-forwarded-prefix")).isEqualTo("/edge/smart_proxy/echo/g1");
    assertThat(seen.getString("x-forwarded-port")).isEqualTo("443");
    assertThat(seen.getString("x-real-ip")).isEqualTo("203.0.113.7");
  }

  @Test
  void aTrustedProxyByCidrBlockIsTrustedToo() {
    harness = Harness.start("trustedProxies: [127.0.0.0/8]", 50, 50, "");

    assertThat(headersSeenByTheVm().getString("x-forwarded-for")).isEqualTo("203.0.113.7, 127.0.0.1");
  }

  private JsonObject headersSeenByTheVm() {
    try (RawHttp connection = RawHttp.connect(harness.port())) {
      RawHttp.Response response = connection.exchange("GET /smart_proxy/echo/g1/ HTTP/1.1\r\nHost: gateway\r\n" + CLAIMS
          + "Connection: close\r\n\r\n");
      assertThat(response.status()).as(response.toString()).isEqualTo(200);
      return response.json().getJsonObject("headers");
    }
  }
}
