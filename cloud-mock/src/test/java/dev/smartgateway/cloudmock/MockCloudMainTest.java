package dev.smartgateway.cloudmock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The command-line entry point, run as a real child JVM (exit codes and signals need a process). */
class MockCloudMainTest {

  private static final long DEADLINE_SECONDS = 30;
  private static final Pattern API_URL = Pattern.compile("mock cloud API at (http://127\\.0\\.0\\.1:\\d+)");

  private Process process;

  @AfterEach
  void killLeftovers() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }

  @Test
  void aBadFlagExitsWithCodeTwoAndSaysWhatIsWrong() throws Exception {
    process = launch("--nope");
    List<String> output = readAll(process);

    assertThat(process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(String.join("\n", output)).contains("unknown option '--nope'");
  }

  @Test
  void runsUntilSigtermThenStopsCleanly() throws Exception {
    process = launch("--port", "0", "--boot-max-ms", "0", "--seed", "3");
    Output output = follow(process);
    BlockingQueue<String> lines = output.lines();

    String baseUrl = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
    while (baseUrl == null && System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      Matcher url = line == null ? null : API_URL.matcher(line);
      if (url != null && url.find()) {
        baseUrl = url.group(1);
      }
    }
    assertThat(baseUrl).as("the API URL is logged").isNotNull();
    HttpResponse<String> stats = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(baseUrl + "/api/stats")).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(stats.statusCode()).isEqualTo(200);

    // SIGTERM through the handle: Process.destroy() would also close our end of the child's output.
    assertThat(process.toHandle().destroy()).isTrue();

    assertThat(process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
    output.reader().join(TimeUnit.SECONDS.toMillis(DEADLINE_SECONDS));
    List<String> rest = new ArrayList<>();
    lines.drainTo(rest);
    assertThat(rest).anySatisfy(line -> assertThat(line).contains("stopping the mock cloud"));
  }

  private static Process launch(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-cp", System.getProperty("java.class.path"), MockCloudMain.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static List<String> readAll(Process process) throws Exception {
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      return reader.lines().toList();
    }
  }

  private record Output(BlockingQueue<String> lines, Thread reader) {
  }

  /** Lines of the child's output as they come, read on a daemon thread so the test can wait with a deadline. */
  private static Output follow(Process process) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        in.lines().forEach(lines::add);
      } catch (Exception e) {
        lines.add("reader failed: " + e);
      }
    }, "child-output");
    reader.setDaemon(true);
    reader.start();
    return new Output(lines, reader);
  }
}
