package dev.smartgateway.cloud;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a process still runs (a child of the process adapter, a QEMU the qemu adapter runs). Blocking (reads {@code /proc}): call from a worker thread. */
public final class Liveness {

  private Liveness() {
  }

  /**
   * True once the process has exited. {@link ProcessHandle#isAlive()} counts a zombie as alive, and a zombie
   * whose parent died waits for init to reap it, which some inits do only every few seconds: it no longer
   * runs, holds no port and takes no signal, so for us it is gone.
   */
  public static boolean gone(ProcessHandle process) {
    if (!process.isAlive()) {
      return true;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      // "pid (comm) S ...": comm may contain spaces and parentheses, the state follows the last ')'
      int end = stat.lastIndexOf(')');
      char state = end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
      return state == 'Z' || state == 'X';
    } catch (IOException | RuntimeException e) {
      return !process.isAlive(); // no /proc (not Linux) or the process vanished meanwhile
    }
  }
}
