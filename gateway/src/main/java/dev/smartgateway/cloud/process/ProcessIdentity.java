package dev.smartgateway.cloud.process;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a pid from a pid file still is the child we launched, not an unrelated process that got
 * the pid recycled. Reads {@code /proc}: call from a worker thread.
 */
final class ProcessIdentity {

  /**
   * The pid file's {@code startedAt} is taken just after launch, the kernel's start time just before; the
   * slack covers that gap and the kernel's clock-tick resolution, and is far below pid-recycling times.
   */
  private static final Duration START_SLACK = Duration.ofSeconds(2);

  private ProcessIdentity() {
  }

  /** The live process the record describes, if it is still there and still the same program. */
  static Optional<ProcessHandle> find(PidRecord record) {
    Optional<ProcessHandle> handle = ProcessHandle.of(record.pid()).filter(ProcessHandle::isAlive);
    if (handle.isEmpty()) {
      return Optional.empty();
    }
    ProcessHandle.Info info = handle.get().info();
    Optional<Instant> started = info.startInstant();
    if (started.isPresent() && started.get().isAfter(record.startedAt().plus(START_SLACK))) {
      return Optional.empty();
    }
    if (info.command().isEmpty() || info.arguments().isEmpty()) {
      // Without a command line we cannot tell our child from a stranger; adopting a stranger would
      // mean killing it later, so we do not.
      return Optional.empty();
    }
    List<String> actual = new ArrayList<>();
    actual.add(info.command().get());
    actual.addAll(List.of(info.arguments().get()));
    return sameCommand(actual, record.command()) ? handle : Optional.empty();
  }

  /**
   * The kernel reports the resolved executable ({@code python3} may be {@code /usr/bin/python3.11}), and for
   * a script with a {@code #!} line the interpreter comes first ({@code /bin/sh ./run.sh args}). So: the
   * launched arguments must end the actual command line, and the launched program's name must start the
   * executable's name or appear before those arguments.
   */
  static boolean sameCommand(List<String> actual, List<String> launched) {
    List<String> launchedArgs = launched.subList(1, launched.size());
    int prefix = actual.size() - launchedArgs.size();
    if (prefix < 1 || !actual.subList(prefix, actual.size()).equals(launchedArgs)) {
      return false;
    }
    String program = baseName(launched.get(0));
    if (baseName(actual.get(0)).startsWith(program)) {
      return true;
    }
    for (String arg : actual.subList(1, prefix)) {
      if (baseName(arg).equals(program)) {
        return true;
      }
    }
    return false;
  }

  private static String baseName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
