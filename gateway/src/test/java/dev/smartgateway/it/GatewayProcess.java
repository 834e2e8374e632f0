package dev.smartgateway.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The gateway's fat jar run as a separate JVM, as a user runs it. */
final class GatewayProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("gateway listening on http://[^:]+:(\\d+)/");
  private static final Pattern ADMIN = Pattern.compile("admin API on http://[^:]+:(\\d+)/admin/");

  private final Process process;
  private final int port;
  private final List<String> output;

  /** Reads the output; it ends with the process, having read every line. */
  private Thread reader;

  private GatewayProcess(Process process, int port, List<String> output, Thread reader) {
    this(process, port, output);
    this.reader = reader;
  }

  private GatewayProcess(Process process, int port, List<String> output) {
    this.process = process;
    this.port = port;
    this.output = output;
  }

  /** Starts {@code java [jvmArgs] -jar smart-gateway.jar --config configFile} and waits for its listening line. */
  static GatewayProcess start(Path configFile, List<String> jvmArgs, Path workingDir) throws Exception {
    return start(jar(), jvmArgs, List.of("--config", configFile.toString()), Map.of(), workingDir);
  }

  /** The fat jar the build made (the {@code smartgateway.jar} system property, set by failsafe). */
  static Path jar() {
    String jar = System.getProperty("smartgateway.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("smartgateway.jar system property must point at the built jar, got " + jar);
    }
    return Path.of(jar).toAbsolutePath();
  }

  /**
   * {@code java [jvmArgs] -jar jar [args]} in {@code workingDir}, with the test's environment less its
   * {@code SMART_GATEWAY_*} variables, plus {@code environment}; stdout and stderr merged.
   */
  private static Process launch(Path jar, List<String> jvmArgs, List<String> args, Map<String, String> environment,
                                Path workingDir) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.addAll(List.of("-jar", jar.toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("SMART_GATEWAY_"));
    builder.environment().putAll(environment);
    return builder.start();
  }

  /** What a gateway run that ended printed, and its exit status. */
  record Exited(int status, String output) {
  }

  /** Runs the jar to its end (help, version, a refused start); destroys it and fails after {@code deadline}. */
  static Exited run(Path jar, List<String> args, Map<String, String> environment, Path workingDir,
                    java.time.Duration deadline) throws Exception {
    Process process = launch(jar, List.of(), args, environment, workingDir);
    try {
      CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
        try {
          return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("the gateway did not exit within " + deadline);
      }
      return new Exited(process.exitValue(), output.get(deadline.toMillis(), TimeUnit.MILLISECONDS));
    } finally {
      process.destroyForcibly();
    }
  }

  /** Starts {@code java [jvmArgs] -jar jar [args]} and waits for its listening line. */
  static GatewayProcess start(Path jar, List<String> jvmArgs, List<String> args, Map<String, String> environment,
                              Path workingDir) throws Exception {
    Process process = launch(jar, jvmArgs, args, environment, workingDir);
    return attach(process, process.getInputStream());
  }

  /**
   * Runs {@code GatewayMain} from this JVM's class path (no jar needed, so a plain test can do it) with the
   * production logback.xml: the access log goes to {@code stdout}, which the test reads, or stops reading, as it
   * likes; stderr (the operational log) is collected as {@link #output()}.
   */
  static GatewayProcess fromClassPath(Path configFile, List<String> jvmArgs, Path workingDir,
                                      java.util.function.Consumer<java.io.InputStream> stdout) throws Exception {
    Path classes = Path.of(dev.smartgateway.Gateway.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-Dlogback.configurationFile=" + classes.resolve("logback.xml"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.smartgateway.GatewayMain",
        "--config", configFile.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("SMART_GATEWAY_")); // the test sets what it means
    Process process = builder.start();
    Thread out = new Thread(() -> stdout.accept(process.getInputStream()), "gateway-stdout");
    out.setDaemon(true);
    out.start();
    return attach(process, process.getErrorStream());
  }

  /** Collects {@code output}'s lines and waits for the listening line. */
  private static GatewayProcess attach(Process process, java.io.InputStream stream) throws Exception {
    List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          output.add(line);
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (IOException ignored) {
        // The process ended.
      }
      port.completeExceptionally(new IllegalStateException("the gateway exited before listening:\n" + String.join("\n", output)));
    }, "gateway-output");
    reader.setDaemon(true);
    reader.start();
    try {
      return new GatewayProcess(process, port.get(60, TimeUnit.SECONDS), output, reader);
    } catch (Exception e) {
      process.destroyForcibly();
      throw e;
    }
  }

  int port() {
    return port;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The admin listener's port, from its log line (which comes before the listening line); -1 if none was logged. */
  int adminPort() {
    synchronized (output) {
      for (String line : output) {
        Matcher m = ADMIN.matcher(line);
        if (m.find()) {
          return Integer.parseInt(m.group(1));
        }
      }
    }
    return -1;
  }

  String output() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  /**
   * Sends SIGTERM and waits for the process to end: true if it ended within {@code deadline} by itself, false if
   * it had to be killed (it is dead either way).
   */
  boolean stop(java.time.Duration deadline) throws InterruptedException {
    // Through the handle: Process.destroy() would also close our ends of its pipes, losing its last lines.
    process.toHandle().destroy();
    if (process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
      if (reader != null) {
        reader.join(5_000); // its last lines (the shutdown's) are in output() once it returns
      }
      return true;
    }
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    return false;
  }

  /** SIGKILL: the JVM dies at once, as in a crash (nothing is handed over, no shutdown hook runs). */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    stop(java.time.Duration.ofSeconds(20));
  }
}
