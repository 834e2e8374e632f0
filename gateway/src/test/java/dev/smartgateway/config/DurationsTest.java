package dev.smartgateway.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {

  @Test
  void readsEveryUnit() {
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
  }

  @Test
  void zeroNeedsNoUnit() {
    assertThat(Durations.parse("0")).isZero();
    assertThat(Durations.parse("0s")).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"30", "10 minutes", "5 m", "1.5s", "-5s", "+5s", "s", "", "5M", "5sec", "1h30m", " 5s"})
  void refusesAnythingElseNamingTheAcceptedForms(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("\"" + text + "\" is not a duration (use e.g. 250ms, 30s, 5m, 1h)");
  }

  @Test
  void refusesDurationsWhoseMillisecondsWouldOverflow() {
    assertThatThrownBy(() -> Durations.parse("999999999999999d")).hasMessageContaining("too long");
    assertThatThrownBy(() -> Durations.parse("99999999999999999999ms")).hasMessageContaining("too long");
    assertThat(Durations.parse(Long.MAX_VALUE + "ms").toMillis()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void refusesNull() {
    assertThatThrownBy(() -> Durations.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
