package dev.smartgateway.cloudmock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandLineTest {

  @Test
  void noFlagsGiveTheDefaults() throws Exception {
    CommandLine line = CommandLine.parse();

    assertThat(line.help()).isFalse();
    assertThat(line.options()).isEqualTo(MockCloudOptions.defaults());
  }

  @Test
  void everyFlagIsRead() throws Exception {
    CommandLine line = CommandLine.parse("--host", "127.0.0.2", "--port", "0", "--boot-min-ms", "50",
        "--boot-max-ms", "200", "--seed", "-42", "--resources", "a, b,,c", "--h2c-resources", "b");

    assertThat(line.options()).isEqualTo(
        new MockCloudOptions("127.0.0.2", 0, 50, 200, -42L, Set.of("a", "b", "c"), Set.of("b")));
  }

  @Test
  void valuesMayFollowAnEqualsSign() throws Exception {
    CommandLine line = CommandLine.parse("--port=9191", "--boot-max-ms=0");

    assertThat(line.options().port()).isEqualTo(9191);
    assertThat(line.options().bootMaxMs()).isZero();
  }

  @Test
  void helpWinsOverEverythingElse() throws Exception {
    assertThat(CommandLine.parse("--port", "1", "--help").help()).isTrue();
    assertThat(CommandLine.USAGE).contains("--host", "--port", "--boot-min-ms", "--boot-max-ms", "--seed",
        "--resources", "--help");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "--nope", "--port", "--port=x", "--port=70000", "--boot-min-ms=-1", "--seed=1.5",
      "--resources=,", "--host=", "stray"})
  void aBadFlagIsAUsageError(String arg) {
    assertThatThrownBy(() -> CommandLine.parse(arg))
        .isInstanceOf(CommandLine.UsageException.class)
        .hasMessageFindingMatch("\\S");
  }

  @Test
  void aBootRangeThatIsEmptyIsAUsageError() {
    assertThatThrownBy(() -> CommandLine.parse("--boot-min-ms", "500", "--boot-max-ms", "100"))
        .isInstanceOf(CommandLine.UsageException.class)
        .hasMessageContaining("--boot-min-ms");
  }
}
