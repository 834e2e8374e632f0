package dev.smartgateway.cloud.docker;

import dev.smartgateway.cloud.OnShutdown;
import dev.smartgateway.cloud.CloudProviderFactory;
import dev.smartgateway.config.ConfigException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

import static dev.smartgateway.cloud.docker.DockerTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(VertxExtension.class)
class DockerConfigTest {

  private static final Map<String, String> NO_ENV = Map.of();

  @Test
  void theFactoryIsFoundByServiceLoaderUnderTypeDocker() {
    assertThat(ServiceLoader.load(CloudProviderFactory.class).stream().map(ServiceLoader.Provider::get))
        .anySatisfy(factory -> {
          assertThat(factory.type()).isEqualTo("docker");
          assertThat(factory).isInstanceOf(DockerCloudProviderFactory.class);
        });
  }

  @Test
  void aFullSectionIsParsedWithItsDefaults() {
    JsonObject section = new JsonObject("""
        {"type": "docker", "url": "tcp://127.0.0.1:2375", "host": "127.0.0.2", "forgetAfter": "30s", "onShutdown": "stop",
         "resources": {
           "echo": {"image": "smart-gateway/echo:1", "command": ["/bin/httpd", "-f", "-p", "{host}:{port}"],
                    "env": {"GREETING": "hi", "N": 3}, "labels": {"team": "qa"},
                    "readiness": {"path": "/health", "timeout": "20s"}, "stopTimeout": "1500ms",
                    "memory": "64m", "cpus": 0.5, "init": true},
           "bridged": {"image": "app:2", "network": "apps", "port": 8080},
           "plain": {"image": "app:1"}
         }}""");

    DockerSettings settings = DockerConfigParser.parse(section, NO_ENV);

    assertThat(settings.endpoint()).isEqualTo(DockerEndpoint.tcp("127.0.0.1", 2375));
    assertThat(settings.host()).isEqualTo("127.0.0.2");
    assertThat(settings.forgetAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.onShutdown()).isEqualTo(OnShutdown.STOP);
    ContainerSpec echo = settings.resources().get("echo");
    assertThat(echo.image()).isEqualTo("smart-gateway/echo:1");
    assertThat(echo.command()).containsExactly("/bin/httpd", "-f", "-p", "{host}:{port}");
    assertThat(echo.env()).isEqualTo(Map.of("GREETING", "hi", "N", "3"));
    assertThat(echo.labels()).isEqualTo(Map.of("team", "qa"));
    assertThat(echo.readiness()).isEqualTo(new ContainerSpec.Readiness("/health", Duration.ofSeconds(20)));
    assertThat(echo.stopTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(echo.memoryBytes()).isEqualTo(64L << 20);
    assertThat(echo.nanoCpus()).isEqualTo(500_000_000L);
    assertThat(echo.init()).isTrue();
    assertThat(echo.hostNetwork()).isTrue();
    assertThat(echo.port()).isNull();
    ContainerSpec bridged = settings.resources().get("bridged");
    assertThat(bridged.network()).isEqualTo("apps");
    assertThat(bridged.port()).isEqualTo(8080);
    ContainerSpec plain = settings.resources().get("plain");
    assertThat(plain.command()).as("the image's own command").isNull();
    assertThat(plain.network()).isEqualTo("host");
    assertThat(plain.readiness().isTcp()).isTrue();
    assertThat(plain.readiness().timeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(plain.stopTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(plain.memoryBytes()).isZero();
    assertThat(plain.nanoCpus()).isZero();
    assertThat(plain.init()).isFalse();
  }

  @Test
  void theEndpointIsTheSocketTheUrlDockerHostOrTheDefaultSocketInThatOrder() {
    String resources = "\"resources\": {\"a\": {\"image\": \"x:1\"}}";

    assertThat(DockerConfigParser.parse(new JsonObject("{\"socket\": \"/run/user/1000/podman/podman.sock\", " + resources + "}"),
        Map.of("DOCKER_HOST", "tcp://10.0.0.1:2375")).endpoint())
        .isEqualTo(DockerEndpoint.socket("/run/user/1000/podman/podman.sock"));
    assertThat(DockerConfigParser.parse(new JsonObject("{\"url\": \"unix:///var/run/other.sock\", " + resources + "}"),
        NO_ENV).endpoint()).isEqualTo(DockerEndpoint.socket("/var/run/other.sock"));
    assertThat(DockerConfigParser.parse(new JsonObject("{" + resources + "}"), Map.of("DOCKER_HOST", "tcp://127.0.0.1:2376"))
        .endpoint()).isEqualTo(DockerEndpoint.tcp("127.0.0.1", 2376));
    DockerSettings defaults = DockerConfigParser.parse(new JsonObject("{" + resources + "}"), NO_ENV);
    assertThat(defaults.endpoint()).isEqualTo(DockerEndpoint.socket("/var/run/docker.sock"));
    assertThat(defaults.host()).isEqualTo("127.0.0.1");
    assertThat(defaults.onShutdown()).isEqualTo(OnShutdown.LEAVE);
    assertThat(defaults.forgetAfter()).isEqualTo(Duration.ofMinutes(1));
    assertThat(DockerEndpoint.socket("/var/run/docker.sock")).hasToString("unix:///var/run/docker.sock");
  }

  @Test
  void placeholdersAreFilledInTheCommandAndTheEnvironmentAndTheAdaptersVariablesWin() {
    ContainerSpec spec = DockerConfigParser.parse(new JsonObject("""
        {"resources": {"app": {"image": "app:1", "command": ["serve", "--listen={host}:{port}", "{resource}", "{groups}", "{instance}"],
                               "env": {"LISTEN": "{host}:{port}", "PORT": "80"}}}}"""), NO_ENV).resources().get("app");
    ContainerSpec.Placement placement = new ContainerSpec.Placement("sg-app-1", "127.0.0.1", 41234, Set.of("g2", "g1"));

    assertThat(spec.commandLine(placement)).containsExactly("serve", "--listen=127.0.0.1:41234", "app", "g1,g2", "sg-app-1");
    assertThat(spec.environment(placement))
        .containsEntry("LISTEN", "127.0.0.1:41234")
        .containsEntry("PORT", "41234")
        .containsEntry("SMART_GATEWAY_RESOURCE", "app")
        .containsEntry("SMART_GATEWAY_GROUPS", "g1,g2")
        .containsEntry("SMART_GATEWAY_INSTANCE", "sg-app-1");
  }

  @Test
  void withAnotherNetworkTheContainerListensOnItsOwnPortOnEveryAddress() {
    ContainerSpec spec = DockerConfigParser.parse(new JsonObject("""
        {"resources": {"app": {"image": "app:1", "network": "apps", "port": 8080,
                               "command": ["serve", "{host}:{port}"]}}}"""), NO_ENV).resources().get("app");
    ContainerSpec.Placement placement = new ContainerSpec.Placement("sg-app-1", "127.0.0.1", 41234, Set.of("g1"));

    assertThat(spec.commandLine(placement)).containsExactly("serve", "0.0.0.0:8080");
    assertThat(spec.environment(placement)).containsEntry("PORT", "8080");
  }

  @Test
  void errorsNameTheOffendingKey() {
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put("{}", "provider.resources: required");
    rows.put("{\"resources\": {}}", "provider.resources: required");
    rows.put("{\"resources\": {\"echo\": {}}}", "provider.resources.echo.image: required");
    rows.put("{\"resources\": {\"echo\": \"app:1\"}}", "provider.resources.echo: must be an object");
    rows.put("{\"resources\": {\"../x\": {\"image\": \"a\"}}}", "provider.resources.../x: not a valid resource id");
    rows.put("{\"resources\": {\"echo\": {\"image\": \"my app\"}}}", "provider.resources.echo.image: 'my app' is not an image name");
    rows.put("{\"resources\": {\"echo\": {\"image\": \"a\", \"imgae\": \"b\"}}}", "provider.resources.echo.imgae: unknown key");
    rows.put("{\"sokcet\": \"/x\", \"resources\": {\"echo\": {\"image\": \"a\"}}}", "provider.sokcet: unknown key");
    rows.put("{\"socket\": \"docker.sock\", \"resources\": {\"echo\": {\"image\": \"a\"}}}",
        "provider.socket: must be an absolute path");
    rows.put("{\"socket\": \"/x\", \"url\": \"tcp://a:1\", \"resources\": {\"echo\": {\"image\": \"a\"}}}",
        "provider.url: either socket or url, not both");
    rows.put("{\"url\": \"tcp://127.0.0.1\", \"resources\": {\"echo\": {\"image\": \"a\"}}}", "provider.url: 'tcp://127.0.0.1' needs a host and a port");
    rows.put("{\"url\": \"https://docker:2376\", \"resources\": {\"echo\": {\"image\": \"a\"}}}", "provider.url: TLS to the Docker API is not supported");
    rows.put("{\"url\": \"ftp://docker\", \"resources\": {\"echo\": {\"image\": \"a\"}}}", "provider.url: 'ftp://docker': expected tcp://host:port or unix:///path");
    rows.put("{\"resources\": {\"echo\": {\"image\": \"a\", \"command\": \"httpd -f\"}}}", "provider.resources.echo.command: must be a list");
    rows.put("{\"resources\": {\"echo\": {\"image\": \"a\", \"command\": []}}}", "provider.resources.echo.command: must not be empty");
    rows.put("{\"resources\": {\"echo\": {\"image\": \"a\", \"command\": [\"x\", {}]}}}", "provider.resources.echo.command[1]: must be a string");
    rows.put("{\"resources\": {\"echo\": {\"image\": \"a\", \"env\": {\"A-B\": \"1\"}}}}", "provider.resources.echo.env.A-B: not a variable name");
    rows.put("{\"resources\": {\"echo\": {\"image\": \"a\", \"env\": {\"A\": [1]}}}}", "provider.resources.echo.env.A: must be a string");
    rows.put("{\"resources\": {\"echo\": {\"image\": \"a\", \"labels\": {\"dev.smartgateway.owner\": \"me\"}}}}",
        "provider.resources.echo.labels.dev.smartgateway.owner: labels starting with dev.smartgateway. are the adapter's own");
    rows.put("{\"resources\": {\"echo\": {\"image\": \"a\", \"port\": 70000}}}", "provider.resources.echo.port: must be a port number");
    rows.put("{\"resources\": {\"echo\": {\"image\": \"a\", \"port\": \"8080\"}}}", "provider.resources.echo.port: must be a port number");
    rows.put("{\"resources\": {\"echo\": {\"image\": \"a\", \"network\": \"apps\"}}}", "provider.resources.echo.port: required with network 'apps'");
    rows.put("{\"resources\": {\"echo\": {\"image\": \"a\", \"network\": \"a b\"}}}", "provider.resources.echo.network: 'a b' is not a network name");
    rows.put("{\"resources\": {\"echo\": {\"image\": \"a\", \"readiness\": {\"tcp\": true, \"path\": \"/\"}}}}",
        "provider.resources.echo.readiness: either tcp: true or path, not both");
    rows.put("{\"resources\": {\"echo\": {\"image\": \"a\", \"readiness\": {\"path\": \"health\"}}}}",
        "provider.resources.echo.readiness.path: must start with '/'");
    rows.put("{\"resources\": {\"echo\": {\"image\": \"a\", \"readiness\": {\"tcp\": false}}}}", "provider.resources.echo.readiness: needs tcp: true or a path");
    rows.put("{\"resources\": {\"echo\": {\"image\": \"a\", \"readiness\": {\"timeuot\": \"1s\"}}}}", "provider.resources.echo.readiness.timeuot: unknown key");
    rows.put("{\"resources\": {\"echo\": {\"image\": \"a\", \"stopTimeout\": \"10 seconds\"}}}",
        "provider.resources.echo.stopTimeout: \"10 seconds\" is not a duration");
    rows.put("{\"resources\": {\"echo\": {\"image\": \"a\", \"stopTimeout\": \"0\"}}}", "provider.resources.echo.stopTimeout: must be longer than 0");
    rows.put("{\"resources\": {\"echo\": {\"image\": \"a\", \"memory\": \"1m\"}}}", "provider.resources.echo.memory: must be at least 6m");
    rows.put("{\"resources\": {\"echo\": {\"image\": \"a\", \"memory\": \"lots\"}}}", "provider.resources.echo.memory: \"lots\" is not a size");
    rows.put("{\"resources\": {\"echo\": {\"image\": \"a\", \"cpus\": 0}}}", "provider.resources.echo.cpus: must be a number of CPUs greater than 0");
    rows.put("{\"resources\": {\"echo\": {\"image\": \"a\", \"cpus\": \"half\"}}}", "provider.resources.echo.cpus: must be a number of CPUs");
    rows.put("{\"resources\": {\"echo\": {\"image\": \"a\", \"init\": \"yes\"}}}", "provider.resources.echo.init: must be true or false");
    rows.put("{\"onShutdown\": \"kill\", \"resources\": {\"echo\": {\"image\": \"a\"}}}", "provider.onShutdown: expected leave or stop");
    rows.put("{\"host\": \"\", \"resources\": {\"echo\": {\"image\": \"a\"}}}", "provider.host: must not be empty");

    rows.forEach((json, message) -> assertThatThrownBy(() -> DockerConfigParser.parse(new JsonObject(json), NO_ENV))
        .as(json)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message));
  }

  @Test
  void anUnusableDockerHostIsNamedWhenTheSectionNamesNoEndpoint() {
    assertThatThrownBy(() -> DockerConfigParser.parse(new JsonObject("{\"resources\": {\"a\": {\"image\": \"x\"}}}"),
        Map.of("DOCKER_HOST", "ssh://me@box")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("provider.url: not set, and DOCKER_HOST is not usable: 'ssh://me@box'");
  }

  @Test
  void createFailsWithTheKeyInItsMessage(Vertx vertx) {
    JsonObject config = new JsonObject().put("type", "docker").put("resources",
        new JsonObject().put("echo", new JsonObject().put("command", new io.vertx.core.json.JsonArray().add("x"))));

    assertThatThrownBy(() -> await(new DockerCloudProviderFactory().create(vertx, config)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("provider.resources.echo.image: required");
  }

  @Test
  void createChecksThatTheHostCanBeListenedOn(Vertx vertx) {
    JsonObject config = new JsonObject().put("type", "docker").put("host", "192.0.2.1").put("url", "tcp://127.0.0.1:1")
        .put("resources", new JsonObject().put("echo", new JsonObject().put("image", "x:1")));

    assertThatThrownBy(() -> await(new DockerCloudProviderFactory().create(vertx, config)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("provider.host: cannot listen on 192.0.2.1");
  }
}
