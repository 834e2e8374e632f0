package dev.smartgateway.bench;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads another JVM's memory from outside: live heap after a full GC (jcmd) and the process's RSS. */
final class Jvm {
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
  private static final Pattern VM_RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

  private Jvm() {
  }

  /** One reading, taken after {@code GC.run}: used heap, RSS, and when the reading finished. */
  record Memory(long heapUsedBytes, long rssBytes, double atMs) {
    JsonObject toJson() {
      return new JsonObject().put("heapUsedBytes", heapUsedBytes).put("rssBytes", rssBytes);
    }
  }

  static Memory measure(long pid, Clock clock) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    Matcher m = HEAP_USED.matcher(info);
    if (!m.find()) {
      throw new IOException("no 'used NK' in jcmd GC.heap_info output: " + info);
    }
    long heap = Long.parseLong(m.group(1)) * 1024;
    Matcher r = VM_RSS.matcher(Files.readString(Path.of("/proc/" + pid + "/status")));
    long rss = r.find() ? Long.parseLong(r.group(1)) * 1024 : -1;
    return new Memory(heap, rss, clock.nowMs());
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(jcmdPath(), String.valueOf(pid), command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("jcmd " + pid + " " + command + " failed: " + new String(out, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  /** The jcmd beside the java running this driver (same JDK as the gateway's, which bench/run starts). */
  private static String jcmdPath() {
    return ProcessHandle.current().info().command()
        .map(java -> Path.of(java).resolveSibling("jcmd"))
        .filter(Files::isExecutable)
        .map(Path::toString)
        .orElse("jcmd");
  }
}
