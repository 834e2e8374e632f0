package dev.smartgateway.cloud.qemu;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the programs the adapter runs. Blocking (file system): call from a worker thread. */
final class Executables {

  private Executables() {
  }

  /** {@code program} as an executable file: a path as given, or a name looked up on {@code path}; null if none. */
  static Path find(String program, String path) {
    if (program.contains(File.separator)) {
      Path file = Path.of(program);
      return Files.isExecutable(file) && !Files.isDirectory(file) ? file : null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** The gateway's PATH. */
  static String path() {
    return System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
  }
}
