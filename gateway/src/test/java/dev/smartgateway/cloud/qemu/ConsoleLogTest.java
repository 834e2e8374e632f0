package dev.smartgateway.cloud.qemu;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A VM's serial console copied into the log: line by line, prefixed with the instance id, and bounded. */
class ConsoleLogTest {

  @TempDir
  Path dir;
  private Path file;
  private Logger logger;
  private ListAppender<ILoggingEvent> logged;

  @BeforeEach
  void capture() {
    file = dir.resolve("sg-demo-1.console");
    logger = (Logger) LoggerFactory.getLogger("qemu.console-test");
    logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
  }

  @AfterEach
  void release() {
    logger.detachAppender(logged);
  }

  @Test
  void completeLinesAreLoggedWithTheInstanceIdAndAPartialLineWaitsForItsEnd() throws IOException {
    ConsoleLog console = new ConsoleLog(file, logger, "sg-demo-1", false);
    append("\u001B[2J\u001B[0mSeaBIOS (version 1.16.2)\r\nsg-guest: up\r\nhalf a li");

    console.drain();
    assertThat(lines()).containsExactly("[sg-demo-1] SeaBIOS (version 1.16.2)", "[sg-demo-1] sg-guest: up");

    append("ne\n");
    console.drain();
    assertThat(lines()).last().isEqualTo("[sg-demo-1] half a line");
    assertThat(console.lastLines()).containsExactly("SeaBIOS (version 1.16.2)", "sg-guest: up", "half a line");
  }

  @Test
  void anAdoptedVmsConsoleIsFollowedFromWhereTheFileEndsNow() throws IOException {
    append("logged by the previous gateway\n");
    ConsoleLog console = new ConsoleLog(file, logger, "sg-demo-1", true);
    append("new\n");

    console.drain();

    assertThat(lines()).containsExactly("[sg-demo-1] new");
  }

  @Test
  void aVeryLongLineIsCutAndTheFileIsTruncatedOnceReadPastItsBound() throws IOException {
    ConsoleLog console = new ConsoleLog(file, logger, "sg-demo-1", false);
    append("x".repeat(ConsoleLog.MAX_LINE_BYTES * 2) + "\n");
    append(("y".repeat(1023) + "\n").repeat((int) (ConsoleLog.MAX_FILE_BYTES / 1024)));

    console.drain();

    assertThat(lines().get(0)).hasSizeLessThan(ConsoleLog.MAX_LINE_BYTES + 100).endsWith("[cut at 4096 bytes]");
    assertThat(Files.size(file)).as("truncated once read past %d bytes", ConsoleLog.MAX_FILE_BYTES).isZero();
    append("after the truncation\n");
    console.drain();
    assertThat(lines()).last().isEqualTo("[sg-demo-1] after the truncation");
  }

  @Test
  void theLastLineWithoutANewlineIsLoggedWhenTheVmHasEnded() throws IOException {
    ConsoleLog console = new ConsoleLog(file, logger, "sg-demo-1", false);
    append("reboot: Power down");

    console.finish();

    assertThat(lines()).containsExactly("[sg-demo-1] reboot: Power down");
  }

  private void append(String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private List<String> lines() {
    return logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }
}
