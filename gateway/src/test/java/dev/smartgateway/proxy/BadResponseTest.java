package dev.smartgateway.proxy;

import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BadResponseTest {

  private static final ForwarderOptions OPTIONS = new ForwarderOptions(8, 8, Duration.ofSeconds(1),
      Duration.ofSeconds(30), Duration.ZERO, 65536, 8192, Duration.ZERO);

  @Test
  void aHeadOverTheHeaderLimitNamesTheKeyAndTheLimit() {
    GatewayException problem = BadResponse.classify(new TooLongHttpHeaderException("HTTP header is larger than 65536 bytes."),
        false, OPTIONS);

    assertThat(problem.type()).isEqualTo(ErrorType.BAD_RESPONSE);
    assertThat(problem.type().status()).isEqualTo(502);
    assertThat(problem.detail()).isEqualTo(
        "The VM's response headers are larger than server.maxResponseHeaderSize (65536 bytes)");
  }

  @Test
  void aStatusLineOverTheLineLimitNamesTheOtherKey() {
    GatewayException problem = BadResponse.classify(new TooLongHttpLineException("An HTTP line is larger than 8192 bytes."),
        false, OPTIONS);

    assertThat(problem.type()).isEqualTo(ErrorType.BAD_RESPONSE);
    assertThat(problem.detail()).contains("the status line", "server.maxResponseLineSize (8192 bytes)");
  }

  @Test
  void afterTheHeadItIsAboutTrailersOrChunkSizes() {
    assertThat(BadResponse.classify(new TooLongHttpHeaderException("x"), true, OPTIONS).detail()).contains("trailers");
    assertThat(BadResponse.classify(new TooLongHttpLineException("x"), true, OPTIONS).detail()).contains("chunk size");
  }

  @Test
  void aWrappedCauseIsFoundAndOtherFailuresAreNotBadResponses() {
    assertThat(BadResponse.classify(new VertxException(new TooLongHttpHeaderException("x")), false, OPTIONS))
        .isNotNull();
    assertThat(BadResponse.classify(new HttpClosedException("closed"), false, OPTIONS)).isNull();
    assertThat(BadResponse.classify(new IllegalStateException("Unsupported HTTP version"), false, OPTIONS)).isNull();
    assertThat(BadResponse.classify(null, false, OPTIONS)).isNull();
  }
}
