package dev.smartgateway.cloud.docker;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the daemon says, decoded: event stream lines, inspect and list entries, and the framed log stream. The samples
 * are what Docker 20.10 (API 1.41) sent for the example image, shortened.
 */
class DockerEventDecodingTest {

  private static final String ID = "287a7263cda68c9d9e4d08b6b70428d01a0cce374c64c6bd8d7d22d1e4291070";

  @Test
  void aDieEventCarriesTheContainersNameLabelsAndExitCode() {
    DockerEvent event = DockerEvent.parse(new JsonObject("""
        {"status":"die","id":"%1$s","from":"smart-gateway/echo:1","Type":"container","Action":"die",
         "Actor":{"ID":"%1$s","Attributes":{"dev.smartgateway.owner":"gw-a","exitCode":"137",
         "image":"smart-gateway/echo:1","name":"sg-echo-0000abcd"}},
         "scope":"local","time":1796123935,"timeNano":1796123935538992125}""".formatted(ID)));

    assertThat(event.action()).isEqualTo("die");
    assertThat(event.detail()).isNull();
    assertThat(event.name()).isEqualTo("sg-echo-0000abcd");
    assertThat(event.containerId()).isEqualTo(ID);
    assertThat(event.exitCode()).isEqualTo(137);
    assertThat(event.labels()).containsEntry("dev.smartgateway.owner", "gw-a");
    assertThat(event.timeNanos()).isEqualTo(1796123935538992125L);
  }

  @Test
  void aHealthEventIsSplitIntoItsActionAndTheNewStatus() {
    DockerEvent event = DockerEvent.parse(new JsonObject("""
        {"status":"health_status: healthy","id":"%1$s","Type":"container","Action":"health_status: healthy",
         "Actor":{"ID":"%1$s","Attributes":{"name":"sg-echo-0000abcd"}},"time":1796123935}""".formatted(ID)));

    assertThat(event.action()).isEqualTo("health_status");
    assertThat(event.detail()).isEqualTo("healthy");
    assertThat(event.exitCode()).isNull();
    assertThat(event.timeNanos()).as("seconds when no timeNano").isEqualTo(1796123935_000_000_000L);
  }

  @Test
  void eventsOfOtherObjectsOrWithoutANameAreNotContainerEvents() {
    assertThat(DockerEvent.parse(new JsonObject("""
        {"Type":"network","Action":"connect","Actor":{"ID":"n1","Attributes":{"name":"host"}}}"""))).isNull();
    assertThat(DockerEvent.parse(new JsonObject("""
        {"Type":"container","Action":"start","Actor":{"ID":"c1","Attributes":{}}}"""))).isNull();
  }

  @Test
  void anInspectSaysWhetherItRunsHowItEndedAndItsHealth() {
    ContainerView running = ContainerView.fromInspect(new JsonObject("""
        {"Id":"%s","Name":"/sg-echo-0000abcd",
         "State":{"Status":"running","Running":true,"OOMKilled":false,"ExitCode":0,"Error":"",
                  "Health":{"Status":"starting","FailingStreak":2}},
         "Config":{"Image":"smart-gateway/echo:1","Labels":{"dev.smartgateway.port":"41234"}}}""".formatted(ID)));

    assertThat(running.name()).isEqualTo("sg-echo-0000abcd");
    assertThat(running.running()).isTrue();
    assertThat(running.ended()).isFalse();
    assertThat(running.exitCode()).as("no exit code while it runs").isNull();
    assertThat(running.hasHealthcheck()).isTrue();
    assertThat(running.health()).isEqualTo("starting");
    assertThat(running.labels()).containsEntry("dev.smartgateway.port", "41234");

    ContainerView oom = ContainerView.fromInspect(new JsonObject("""
        {"Id":"%s","Name":"/sg-echo-0000abcd",
         "State":{"Status":"exited","Running":false,"OOMKilled":true,"ExitCode":137,"Error":""},
         "Config":{"Image":"smart-gateway/echo:1","Labels":{}}}""".formatted(ID)));
    assertThat(oom.ended()).isTrue();
    assertThat(oom.exitCode()).isEqualTo(137);
    assertThat(oom.oomKilled()).isTrue();
    assertThat(oom.hasHealthcheck()).isFalse();
  }

  @Test
  void aListEntryGivesItsExitCodeAndHealthFromItsStatusText() {
    ContainerView exited = ContainerView.fromList(new JsonObject("""
        {"Id":"%s","Names":["/sg-echo-0000abcd"],"Image":"smart-gateway/echo:1","State":"exited",
         "Status":"Exited (3) 2 seconds ago","Labels":{"dev.smartgateway.resource":"echo"}}""".formatted(ID)));
    ContainerView healthy = ContainerView.fromList(new JsonObject("""
        {"Id":"%s","Names":["/sg-echo-0000abcd"],"Image":"smart-gateway/echo:1","State":"running",
         "Status":"Up 5 seconds (healthy)","Labels":{}}""".formatted(ID)));
    ContainerView starting = ContainerView.fromList(new JsonObject("""
        {"Id":"%s","Names":["/x"],"Image":"i","State":"running","Status":"Up 1 second (health: starting)"}""".formatted(ID)));

    assertThat(exited.ended()).isTrue();
    assertThat(exited.exitCode()).isEqualTo(3);
    assertThat(exited.labels()).containsEntry("dev.smartgateway.resource", "echo");
    assertThat(healthy.running()).isTrue();
    assertThat(healthy.health()).isEqualTo("healthy");
    assertThat(starting.health()).isEqualTo("starting");
  }

  @Test
  void theLogStreamsFramesAreSplitIntoLinesAndTheLastErrorLineIsTheLastWord() {
    Buffer body = Buffer.buffer()
        .appendBuffer(frame(1, "starting\n"))
        .appendBuffer(frame(2, "httpd: bind: Address in use\n"))
        .appendBuffer(frame(1, "bye\r\n"));

    List<LogTail.Line> lines = LogTail.lines(body);

    assertThat(lines).containsExactly(new LogTail.Line(false, "starting"),
        new LogTail.Line(true, "httpd: bind: Address in use"), new LogTail.Line(false, "bye"));
    assertThat(LogTail.lastWords(lines)).isEqualTo("httpd: bind: Address in use");
    assertThat(LogTail.lastWords(LogTail.lines(frame(1, "one\ntwo\n")))).isEqualTo("two");
    assertThat(LogTail.lastWords(List.of())).isNull();
  }

  @Test
  void aContainerWithATerminalSendsPlainText() {
    assertThat(LogTail.lines(Buffer.buffer("plain output\nlast line\n")))
        .extracting(LogTail.Line::text).containsExactly("plain output", "last line");
  }

  @Test
  void exitReasonsSayHowTheContainerEnded() {
    assertThat(Endings.exitReason(3, false, "")).isEqualTo("exited by itself with code 3");
    assertThat(Endings.exitReason(137, false, null)).isEqualTo("was killed (SIGKILL, exit code 137)");
    assertThat(Endings.exitReason(137, true, null)).isEqualTo("killed for want of memory (exit code 137)");
    assertThat(Endings.exitReason(143, false, null)).isEqualTo("was terminated (SIGTERM, exit code 143)");
    assertThat(Endings.exitReason(127, false, "exec: \"/bin/nope\": no such file"))
        .isEqualTo("exited by itself with code 127 (exec: \"/bin/nope\": no such file)");
    assertThat(Endings.exitReason(null, false, null)).isEqualTo("exited by itself");
  }

  private static Buffer frame(int stream, String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer().appendByte((byte) stream).appendBytes(new byte[3]).appendInt(payload.length).appendBytes(payload);
  }
}
