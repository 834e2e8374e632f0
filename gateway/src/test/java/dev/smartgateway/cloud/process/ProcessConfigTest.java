package dev.smartgateway.cloud.process;

import dev.smartgateway.cloud.OnShutdown;
import dev.smartgateway.cloud.CloudProviderFactory;
import dev.smartgateway.config.ConfigException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static dev.smartgateway.cloud.process.ProcessTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(VertxExtension.class)
class ProcessConfigTest {

  @TempDir
  Path stateDir;

  @Test
  void theFactoryIsFoundByServiceLoaderUnderTypeProcess() {
    assertThat(ServiceLoader.load(CloudProviderFactory.class).stream().map(ServiceLoader.Provider::get))
        .anySatisfy(factory -> {
          assertThat(factory.type()).isEqualTo("process");
          assertThat(factory).isInstanceOf(ProcessCloudProviderFactory.class);
        });
  }

  @Test
  void aFullSectionIsParsedWithItsDefaults() {
    JsonObject section = new JsonObject("""
        {"type": "process", "onShutdown": "leave", "forgetAfter": "30s",
         "resources": {
           "files": {"command": ["python3", "-m", "http.server", "{port}"], "workingDir": "www",
                     "env": {"FOO": "bar", "N": 3}, "readiness": {"path": "/health", "timeout": "20s"},
                     "stopSignal": "SIGINT", "stopTimeout": "250ms"},
           "plain": {"command": ["./serve"]}
         }}""");

    ProcessSettings settings = ProcessConfigParser.parse(section);

    assertThat(settings.host()).isEqualTo("127.0.0.1");
    assertThat(settings.stateDir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "smart-gateway-process"));
    assertThat(settings.onShutdown()).isEqualTo(OnShutdown.LEAVE);
    assertThat(settings.forgetAfter()).isEqualTo(Duration.ofSeconds(30));
    ProcessSpec files = settings.resources().get("files");
    assertThat(files.command()).containsExactly("python3", "-m", "http.server", "{port}");
    assertThat(files.workingDir()).isEqualTo(Path.of("www"));
    assertThat(files.env()).isEqualTo(Map.of("FOO", "bar", "N", "3"));
    assertThat(files.readiness()).isEqualTo(new ProcessSpec.Readiness("/health", Duration.ofSeconds(20)));
    assertThat(files.stopSignal()).isEqualTo(StopSignal.INT);
    assertThat(files.stopTimeout()).isEqualTo(Duration.ofMillis(250));
    ProcessSpec plain = settings.resources().get("plain");
    assertThat(plain.readiness().isTcp()).isTrue();
    assertThat(plain.readiness().timeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(plain.stopSignal()).isEqualTo(StopSignal.TERM);
    assertThat(plain.stopTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(plain.workingDir()).isNull();
  }

  @Test
  void placeholdersAreFilledInTheCommandAndTheEnvironment() {
    ProcessSpec spec = ProcessConfigParser.parse(new JsonObject("""
        {"resources": {"app": {"command": ["serve", "--port={port}", "{resource}", "{groups}"],
                               "env": {"LISTEN": "127.0.0.1:{port}", "PORT": "80"}}}}""")).resources().get("app");

    assertThat(spec.commandLine(8123, java.util.Set.of("g2", "g1"))).containsExactly("serve", "--port=8123", "app", "g1,g2");
    assertThat(spec.environment(8123, java.util.Set.of("g2", "g1")))
        .containsEntry("LISTEN", "127.0.0.1:8123")
        .containsEntry("PORT", "8123") // the adapter's own variables win
        .containsEntry("SMART_GATEWAY_RESOURCE", "app")
        .containsEntry("SMART_GATEWAY_GROUPS", "g1,g2");
  }

  @Test
  void errorsNameTheOffendingKey() {
    Map<String, String> expectations = Map.ofEntries(
        Map.entry("{\"resources\": {\"files\": {}}}", "provider.resources.files.command: required"),
        Map.entry("{\"resources\": {\"files\": {\"command\": \"python3 -m http.server\"}}}",
            "provider.resources.files.command: must be a list"),
        Map.entry("{\"resources\": {\"files\": {\"command\": []}}}", "provider.resources.files.command: must not be empty"),
        Map.entry("{\"resources\": {\"files\": {\"command\": [\"x\", {\"a\": 1}]}}}", "provider.resources.files.command[1]: must be a string"),
        Map.entry("{}", "provider.resources: required"),
        Map.entry("{\"resources\": {}}", "provider.resources: required"),
        Map.entry("{\"resources\": {\"../x\": {\"command\": [\"x\"]}}}", "provider.resources.../x: not a valid resource id"),
        Map.entry("{\"resources\": {\"files\": {\"command\": [\"x\"], \"stopSignal\": \"STOP\"}}}",
            "provider.resources.files.stopSignal: expected one of TERM, INT, KILL, HUP"),
        Map.entry("{\"resources\": {\"files\": {\"command\": [\"x\"], \"stopTimeout\": \"10 seconds\"}}}",
            "provider.resources.files.stopTimeout: \"10 seconds\" is not a duration"),
        Map.entry("{\"resources\": {\"files\": {\"command\": [\"x\"], \"stopTimeout\": 10}}}",
            "provider.resources.files.stopTimeout: 10 is not a duration"),
        Map.entry("{\"resources\": {\"files\": {\"command\": [\"x\"], \"stopTimout\": \"1s\"}}}",
            "provider.resources.files.stopTimout: unknown key"),
        Map.entry("{\"resources\": {\"files\": {\"command\": [\"x\"], \"readiness\": {\"tcp\": true, \"path\": \"/\"}}}}",
            "provider.resources.files.readiness: either tcp: true or path, not both"),
        Map.entry("{\"resources\": {\"files\": {\"command\": [\"x\"], \"readiness\": {\"path\": \"health\"}}}}",
            "provider.resources.files.readiness.path: must start with '/'"),
        Map.entry("{\"resources\": {\"files\": {\"command\": [\"x\"], \"env\": {\"A\": [1]}}}}",
            "provider.resources.files.env.A: must be a string"),
        Map.entry("{\"onShutdown\": \"kill\", \"resources\": {\"files\": {\"command\": [\"x\"]}}}",
            "provider.onShutdown: expected stop or leave"),
        Map.entry("{\"hots\": \"127.0.0.1\", \"resources\": {\"files\": {\"command\": [\"x\"]}}}",
            "provider.hots: unknown key"));

    expectations.forEach((json, message) -> assertThatThrownBy(() -> ProcessConfigParser.parse(new JsonObject(json)))
        .as(json)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message));
  }

  @Test
  void createFailsWithTheKeyInItsMessage(Vertx vertx) {
    JsonObject config = ProcessTestSupport.providerConfig(stateDir,
        new JsonObject().put("files", new JsonObject().put("workingDir", "www")));

    assertThatThrownBy(() -> await(new ProcessCloudProviderFactory().create(vertx, config)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("provider.resources.files.command: required");
  }

  @Test
  void createChecksThatTheWorkingDirectoryExists(Vertx vertx) {
    Path missing = stateDir.resolve("no-such-dir");
    JsonObject config = ProcessTestSupport.providerConfig(stateDir, new JsonObject().put("files",
        new JsonObject().put("command", new JsonArray(List.of("python3"))).put("workingDir", missing.toString())));

    assertThatThrownBy(() -> await(new ProcessCloudProviderFactory().create(vertx, config)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("provider.resources.files.workingDir: not a directory: " + missing);
  }

  @Test
  void createChecksThatTheHostCanBeListenedOn(Vertx vertx) {
    JsonObject config = ProcessTestSupport.providerConfig(stateDir, new JsonObject().put("files",
        new JsonObject().put("command", new JsonArray(List.of("python3"))))).put("host", "192.0.2.1");

    assertThatThrownBy(() -> await(new ProcessCloudProviderFactory().create(vertx, config)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("provider.host: cannot listen on 192.0.2.1");
  }
}
