package dev.smartgateway.conformance;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

class PrerequisitesTest {

  @Test
  void aMissingPrerequisiteSkipsTheTestOnADevelopersMachine() {
    assertThatThrownBy(() -> Prerequisites.require(false, "the command 'qemu-img'", "apt-get install qemu-utils", false))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("the command 'qemu-img' is missing (apt-get install qemu-utils)");
  }

  @Test
  void aMissingPrerequisiteFailsTheTestUnderCi() {
    assertThatThrownBy(() -> Prerequisites.require(false, "a Docker daemon", "apt-get install docker.io", true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("a Docker daemon is missing (apt-get install docker.io)")
        .hasMessageContaining("CI=true");
  }

  @Test
  void aPresentPrerequisiteLetsTheTestRunEitherWay() {
    assertThatCode(() -> Prerequisites.require(true, "x", "y", true)).doesNotThrowAnyException();
    assertThatCode(() -> Prerequisites.require(true, "x", "y", false)).doesNotThrowAnyException();
  }

  @Test
  void commandsAreFoundOnThePathOrByAbsolutePath() {
    // sh is on every POSIX machine's PATH, and at /bin/sh.
    assertThat(Prerequisites.onPath("sh")).isTrue();
    assertThat(Prerequisites.onPath("/bin/sh")).isTrue();
    assertThat(Prerequisites.onPath("no-such-command-for-conformance")).isFalse();
    assertThat(Prerequisites.onPath("/no/such/command")).isFalse();
  }
}
