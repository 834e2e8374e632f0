package dev.smartgateway.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SizesTest {

  @Test
  void plainNumbersAreBytes() {
    assertThat(Sizes.parse("0")).isZero();
    assertThat(Sizes.parse("512")).isEqualTo(512);
    assertThat(Sizes.parse("512b")).isEqualTo(512);
  }

  @Test
  void unitsAreBinaryMultiples() {
    assertThat(Sizes.parse("16k")).isEqualTo(16 * 1024);
    assertThat(Sizes.parse("8m")).isEqualTo(8L * 1024 * 1024);
    assertThat(Sizes.parse("1g")).isEqualTo(1024L * 1024 * 1024);
  }

  @Test
  void unitsIgnoreCase() {
    assertThat(Sizes.parse("16K")).isEqualTo(Sizes.parse("16k"));
    assertThat(Sizes.parse("1G")).isEqualTo(Sizes.parse("1g"));
    assertThat(Sizes.parse("7B")).isEqualTo(7);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "k", "16 k", "16kb", "1.5g", "-1", "1t", "lots", "0x10"})
  void refusesAnythingElseNamingTheAcceptedForms(String text) {
    assertThatThrownBy(() -> Sizes.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use e.g. 512, 16k, 8m, 1g");
  }

  @Test
  void refusesSizesThatOverflowALong() {
    assertThatThrownBy(() -> Sizes.parse("9999999999999g")).hasMessageContaining("too large");
    assertThatThrownBy(() -> Sizes.parse("99999999999999999999")).hasMessageContaining("too large");
  }
}
