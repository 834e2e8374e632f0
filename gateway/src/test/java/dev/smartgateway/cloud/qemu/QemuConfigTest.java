package dev.smartgateway.cloud.qemu;

import dev.smartgateway.cloud.CloudProviderFactory;
import dev.smartgateway.config.ConfigException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QemuConfigTest {

  @Test
  void theFactoryIsFoundByServiceLoaderUnderTypeQemu() {
    assertThat(ServiceLoader.load(CloudProviderFactory.class).stream().map(ServiceLoader.Provider::get))
        .anySatisfy(factory -> {
          assertThat(factory.type()).isEqualTo("qemu");
          assertThat(factory).isInstanceOf(QemuCloudProviderFactory.class);
        });
  }

  @Test
  void aFullSectionIsParsed() {
    QemuSettings settings = QemuConfigParser.parse(new JsonObject("""
        {"type": "qemu", "qemu": "/opt/qemu/bin/qemu-system-x86_64", "qemuImg": "/opt/qemu/bin/qemu-img",
         "stateDir": "/var/tmp/sg-qemu", "host": "127.0.0.2", "accel": "TCG", "onShutdown": "stop", "forgetAfter": "30s",
         "resources": {
           "demo": {"kernel": "/img/vmlinuz", "initrd": "/img/initrd.gz", "append": "quiet", "memory": "128M",
                    "cpus": 2, "guestPort": 8080, "machine": "pc", "stopTimeout": "5s", "extraArgs": ["-rtc", "base=utc"]},
           "wiki": {"disk": "/img/wiki.raw", "diskFormat": "raw"}
         }}"""));

    assertThat(settings.qemu()).isEqualTo("/opt/qemu/bin/qemu-system-x86_64");
    assertThat(settings.qemuImg()).isEqualTo("/opt/qemu/bin/qemu-img");
    assertThat(settings.stateDir()).isEqualTo(Path.of("/var/tmp/sg-qemu"));
    assertThat(settings.host()).isEqualTo("127.0.0.2");
    assertThat(settings.accel()).isEqualTo(Accel.TCG);
    assertThat(settings.onShutdown()).isEqualTo(QemuSettings.OnShutdown.STOP);
    assertThat(settings.forgetAfter()).isEqualTo(Duration.ofSeconds(30));
    VmSpec demo = settings.resources().get("demo");
    assertThat(demo.kernel()).isEqualTo(Path.of("/img/vmlinuz"));
    assertThat(demo.initrd()).isEqualTo(Path.of("/img/initrd.gz"));
    assertThat(demo.append()).isEqualTo("quiet");
    assertThat(demo.memoryMb()).isEqualTo(128);
    assertThat(demo.cpus()).isEqualTo(2);
    assertThat(demo.guestPort()).isEqualTo(8080);
    assertThat(demo.machine()).isEqualTo("pc");
    assertThat(demo.stopTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(demo.extraArgs()).containsExactly("-rtc", "base=utc");
    VmSpec wiki = settings.resources().get("wiki");
    assertThat(wiki.bootsKernel()).isFalse();
    assertThat(wiki.disk()).isEqualTo(Path.of("/img/wiki.raw"));
    assertThat(wiki.diskFormat()).isEqualTo("raw");
  }

  @Test
  void theDefaultsAreTheDebianProgramsOnThePathTcgOrKvmByTheMachineAndVmsLeftForTheNextGateway() {
    QemuSettings settings = QemuConfigParser.parse(new JsonObject("""
        {"resources": {"demo": {"kernel": "/img/vmlinuz"}, "wiki": {"disk": "/img/wiki.qcow2"}}}"""));

    assertThat(settings.qemu()).isEqualTo("qemu-system-x86_64");
    assertThat(settings.qemuImg()).isEqualTo("qemu-img");
    assertThat(settings.stateDir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "smart-gateway-qemu")
        .toAbsolutePath().normalize());
    assertThat(settings.host()).isEqualTo("127.0.0.1");
    assertThat(settings.accel()).isEqualTo(Accel.AUTO);
    assertThat(settings.onShutdown()).isEqualTo(QemuSettings.OnShutdown.LEAVE);
    assertThat(settings.forgetAfter()).isEqualTo(Duration.ofMinutes(1));
    VmSpec demo = settings.resources().get("demo");
    assertThat(demo.initrd()).isNull();
    assertThat(demo.append()).isEmpty();
    assertThat(demo.memoryMb()).isEqualTo(256);
    assertThat(demo.cpus()).isEqualTo(1);
    assertThat(demo.guestPort()).isEqualTo(80);
    assertThat(demo.machine()).isEqualTo("q35");
    assertThat(demo.stopTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(demo.extraArgs()).isEmpty();
    assertThat(settings.resources().get("wiki").diskFormat()).isEqualTo("qcow2");
  }

  @Test
  void relativeImagePathsAreResolvedAgainstTheWorkingDirectory() {
    VmSpec demo = QemuConfigParser.parse(new JsonObject("""
        {"resources": {"demo": {"kernel": "examples/qemu/build/vmlinuz"}}}""")).resources().get("demo");

    assertThat(demo.kernel()).isAbsolute().endsWithRaw(Path.of("examples/qemu/build/vmlinuz"));
  }

  @Test
  void mistakesAreRefusedWithTheFullKey() {
    assertRefused("{\"resources\": {\"demo\": {\"kernel\": \"/k\"}}, \"acel\": \"tcg\"}", "provider.acel", "unknown key");
    assertRefused("{\"accel\": \"hvf\", \"resources\": {\"demo\": {\"kernel\": \"/k\"}}}", "provider.accel",
        "expected auto, kvm or tcg");
    assertRefused("{\"onShutdown\": \"kill\", \"resources\": {\"demo\": {\"kernel\": \"/k\"}}}", "provider.onShutdown",
        "expected leave or stop");
    assertRefused("{}", "provider.resources", "at least one resource");
    assertRefused("{\"resources\": {\"demo\": {}}}", "provider.resources.demo", "either a kernel");
    assertRefused("{\"resources\": {\"demo\": {\"kernel\": \"/k\", \"disk\": \"/d\"}}}", "provider.resources.demo",
        "not both");
    assertRefused("{\"resources\": {\"demo\": {\"disk\": \"/d\", \"initrd\": \"/i\"}}}", "provider.resources.demo.initrd",
        "only with a kernel");
    assertRefused("{\"resources\": {\"demo\": {\"kernel\": \"/k\", \"diskFormat\": \"raw\"}}}",
        "provider.resources.demo.diskFormat", "only with a disk");
    assertRefused("{\"resources\": {\"demo\": {\"kernel\": \"/k\", \"memory\": \"8m\"}}}", "provider.resources.demo.memory",
        "at least 16m");
    assertRefused("{\"resources\": {\"demo\": {\"kernel\": \"/k\", \"memory\": \"lots\"}}}",
        "provider.resources.demo.memory", "not a size");
    assertRefused("{\"resources\": {\"demo\": {\"kernel\": \"/k\", \"cpus\": 0}}}", "provider.resources.demo.cpus",
        "from 1 to 64");
    assertRefused("{\"resources\": {\"demo\": {\"kernel\": \"/k\", \"guestPort\": 70000}}}",
        "provider.resources.demo.guestPort", "from 1 to 65535");
    assertRefused("{\"resources\": {\"demo\": {\"kernel\": \"/k\", \"machine\": \"q35,accel=kvm\"}}}",
        "provider.resources.demo.machine", "QEMU machine type");
    assertRefused("{\"resources\": {\"demo\": {\"kernel\": \"/k\", \"extraArgs\": \"-s\"}}}",
        "provider.resources.demo.extraArgs", "must be a list");
    assertRefused("{\"resources\": {\"demo\": {\"kernel\": \"/k\", \"stopTimeout\": \"soon\"}}}",
        "provider.resources.demo.stopTimeout", "not a duration");
    assertRefused("{\"resources\": {\"-demo\": {\"kernel\": \"/k\"}}}", "provider.resources.-demo", "not a valid resource id");
  }

  @Test
  void aStateDirTooDeepForUnixSocketsIsRefusedWhenTheGatewayStarts() {
    String deep = "/tmp/" + "d".repeat(90);

    assertRefused("{\"stateDir\": \"" + deep + "\", \"resources\": {\"demo\": {\"kernel\": \"/k\"}}}", "provider.stateDir",
        "too long for the QMP sockets");
  }

  private static void assertRefused(String json, String key, String reason) {
    assertThatThrownBy(() -> QemuConfigParser.parse(new JsonObject(json)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(key + ":")
        .hasMessageContaining(reason);
  }

  @Test
  void keysAreNamedInTheRefusalOfAnUnknownOne() {
    assertThatThrownBy(() -> QemuConfigParser.parse(new JsonObject("{\"resources\": {\"demo\": {\"kernal\": \"/k\"}}}")))
        .hasMessageContaining("provider.resources.demo.kernal")
        .hasMessageContaining(String.join(", ", List.of("append", "cpus", "disk", "diskFormat", "extraArgs", "guestPort",
            "initrd", "kernel", "machine", "memory", "stopTimeout")));
  }
}
