package dev.smartgateway.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** What a gRPC client is told for each gateway error, and how {@code grpc-message} is written. */
class GrpcProblemsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      UNKNOWN_RESOURCE   | NOT_FOUND           | 5
      FORBIDDEN          | PERMISSION_DENIED   | 7
      GROUPS_NOT_GRANTED | PERMISSION_DENIED   | 7
      UNAUTHORIZED       | UNAUTHENTICATED     | 16
      WAITERS_FULL       | UNAVAILABLE         | 14
      INSTANCE_LIMIT     | UNAVAILABLE         | 14
      GATEWAY_BUSY       | UNAVAILABLE         | 14
      SHUTTING_DOWN      | UNAVAILABLE         | 14
      NOT_STARTED        | UNAVAILABLE         | 14
      START_TIMEOUT      | DEADLINE_EXCEEDED   | 4
      BACKEND_TIMEOUT    | DEADLINE_EXCEEDED   | 4
      BOOT_FAILED        | UNAVAILABLE         | 14
      BACKEND_FAILED     | UNAVAILABLE         | 14
      CLOUD_FAILED       | UNAVAILABLE         | 14
      BAD_RESPONSE       | INTERNAL            | 13
      BAD_VIRTUAL_URL    | INVALID_ARGUMENT    | 3
      BAD_REQUEST        | INTERNAL            | 13
      BODY_TOO_LARGE     | RESOURCE_EXHAUSTED  | 8
      HEADERS_TOO_LARGE  | RESOURCE_EXHAUSTED  | 8
      REQUEST_TIMEOUT    | DEADLINE_EXCEEDED   | 4
      CLIENT_CLOSED      | CANCELLED           | 1
      """)
  void eachGatewayErrorHasItsGrpcStatus(ErrorType type, GrpcStatus status, int code) {
    assertThat(GrpcStatus.of(type)).isEqualTo(status);
    assertThat(GrpcStatus.of(type).code()).isEqualTo(code);
  }

  @ParameterizedTest
  @EnumSource(ErrorType.class)
  void noGatewayErrorLooksLikeSuccessOrAnUnknownFailure(ErrorType type) {
    assertThat(GrpcStatus.of(type)).isNotIn(GrpcStatus.OK, GrpcStatus.UNKNOWN);
  }

  @ParameterizedTest(name = "HTTP {0}")
  @CsvSource({"404, 5", "403, 7", "401, 16", "503, 14", "504, 4", "413, 8"})
  void everyErrorOfAnHttpStatusGetsTheStatusThatStatusStandsFor(int httpStatus, int grpcCode) {
    for (ErrorType type : ErrorType.values()) {
      if (type.status() == httpStatus) {
        assertThat(GrpcStatus.of(type).code()).as(type.name()).isEqualTo(grpcCode);
      }
    }
  }

  @Test
  void printableAsciiStaysAsItIs() {
    assertThat(GrpcProblems.percentEncode("start-timeout: The VM did not become ready in 5 s (resource app)"))
        .isEqualTo("start-timeout: The VM did not become ready in 5 s (resource app)");
  }

  @Test
  void percentControlCharactersAndNonAsciiAreEncodedAsUtf8Bytes() {
    assertThat(GrpcProblems.percentEncode("100% done\r\nzażółć ✓"))
        .isEqualTo("100%25 done%0D%0Aza%C5%BC%C3%B3%C5%82%C4%87 %E2%9C%93");
  }

  @Test
  void theMessageNamesTheProblemTypeTheDetailAndTheResource() {
    GatewayException error = new GatewayException(ErrorType.START_TIMEOUT, "not ready within 5000 ms", "app",
        Duration.ofSeconds(3), null);

    assertThat(GrpcProblems.message(error)).isEqualTo("start-timeout: not ready within 5000 ms (resource app)");
  }
}
