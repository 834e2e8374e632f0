package dev.smartgateway.cloud.process;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Sends stop signals. Blocking (may run {@code kill}): call from a worker thread. */
final class Signals {

  private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

  private Signals() {
  }

  /** Signals one process. */
  static void send(ProcessHandle process, StopSignal signal) {
    if (!process.isAlive()) {
      return;
    }
    switch (signal) {
      case TERM -> process.destroy();
      case KILL -> process.destroyForcibly();
      // The JDK only sends TERM and KILL; other signals need the kill command.
      default -> {
        if (!kill(signal, Long.toString(process.pid()))) {
          LOG.warn("Cannot send SIG{} to {}; sending SIGTERM instead", signal, process.pid());
          process.destroy();
        }
      }
    }
  }

  /**
   * Signals every process of a process group, including those whose parent already died. Quiet when the
   * group is already empty.
   */
  static void sendToGroup(long processGroup, StopSignal signal) {
    kill(signal, "-" + processGroup);
  }

  /** @return whether kill ran and succeeded */
  private static boolean kill(StopSignal signal, String target) {
    try {
      Process kill = new ProcessBuilder(List.of("kill", "-" + signal.name(), "--", target))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!kill.waitFor(5, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
        return false;
      }
      return kill.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
