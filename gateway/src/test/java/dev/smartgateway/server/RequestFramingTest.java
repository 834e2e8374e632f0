package dev.smartgateway.server;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RequestFramingTest {

  @Test
  void aLengthAloneOrChunkedAloneIsFine() {
    assertThat(RequestFraming.violation(false, List.of("12"), List.of())).isNull();
    assertThat(RequestFraming.violation(true, List.of("12"), List.of())).isNull();
    assertThat(RequestFraming.violation(false, List.of(), List.of("chunked"))).isNull();
    assertThat(RequestFraming.violation(false, List.of(), List.of(" Chunked "))).isNull();
    assertThat(RequestFraming.violation(false, List.of(), List.of())).isNull();
  }

  @Test
  void bothLengthsTogetherAreRefusedInEveryVersion() {
    assertThat(RequestFraming.violation(false, List.of("4"), List.of("chunked"))).contains("Content-Length together");
    assertThat(RequestFraming.violation(true, List.of("4"), List.of("chunked"))).contains("Content-Length together");
  }

  @Test
  void transferEncodingIsOnlyChunkedAloneInHttp11() {
    assertThat(RequestFraming.violation(true, List.of(), List.of("chunked"))).contains("HTTP/1.0");
    assertThat(RequestFraming.violation(false, List.of(), List.of("gzip"))).contains("only 'chunked'");
    assertThat(RequestFraming.violation(false, List.of(), List.of("gzip, chunked"))).contains("only 'chunked'");
    assertThat(RequestFraming.violation(false, List.of(), List.of("chunked", "chunked"))).contains("only 'chunked'");
    assertThat(RequestFraming.violation(false, List.of(), List.of("chunked, identity"))).contains("only 'chunked'");
  }
}
