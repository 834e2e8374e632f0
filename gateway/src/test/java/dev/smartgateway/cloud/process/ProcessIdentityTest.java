package dev.smartgateway.cloud.process;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessIdentityTest {

  @Test
  void theKernelsResolvedExecutableMatchesTheLaunchedProgramName() {
    assertThat(ProcessIdentity.sameCommand(
        List.of("/usr/bin/python3.11", "-m", "http.server", "8080"),
        List.of("python3", "-m", "http.server", "8080"))).isTrue();
  }

  @Test
  void aScriptRunByItsInterpreterMatches() {
    assertThat(ProcessIdentity.sameCommand(
        List.of("/usr/bin/dash", "./serve.sh", "8080"),
        List.of("./serve.sh", "8080"))).isTrue();
  }

  @Test
  void otherArgumentsOrAnotherProgramDoNotMatch() {
    assertThat(ProcessIdentity.sameCommand(
        List.of("/usr/bin/python3", "-m", "http.server", "8081"),
        List.of("python3", "-m", "http.server", "8080"))).isFalse();
    assertThat(ProcessIdentity.sameCommand(
        List.of("/usr/bin/node", "-m", "http.server", "8080"),
        List.of("python3", "-m", "http.server", "8080"))).isFalse();
    assertThat(ProcessIdentity.sameCommand(List.of("/usr/bin/python3"), List.of("python3", "x"))).isFalse();
  }

  @Test
  void aLiveProcessRunningSomethingElseIsNotFound() {
    ProcessHandle self = ProcessHandle.current();
    PidRecord record = new PidRecord("files-" + self.pid(), "files", self.pid(), 8080, Set.of("g1"),
        Instant.now(), List.of("python3", "-m", "http.server", "8080"), true);

    assertThat(ProcessIdentity.find(record)).isEmpty();
  }

  @Test
  void aProcessStartedAfterThePidFileWasWrittenIsNotFound() {
    ProcessHandle self = ProcessHandle.current();
    List<String> command = commandLineOf(self);
    PidRecord recordedBeforeWeStarted = new PidRecord("x-1", "x", self.pid(), 8080, Set.of(),
        self.info().startInstant().orElseThrow().minusSeconds(60), command, true);
    PidRecord recordedJustAfter = new PidRecord("x-1", "x", self.pid(), 8080, Set.of(),
        self.info().startInstant().orElseThrow().plusMillis(300), command, true);

    assertThat(ProcessIdentity.find(recordedBeforeWeStarted)).as("pid recycled since").isEmpty();
    assertThat(ProcessIdentity.find(recordedJustAfter)).contains(self);
  }

  private static List<String> commandLineOf(ProcessHandle process) {
    List<String> line = new java.util.ArrayList<>();
    line.add(process.info().command().orElseThrow());
    line.addAll(List.of(process.info().arguments().orElseThrow()));
    return line;
  }
}
