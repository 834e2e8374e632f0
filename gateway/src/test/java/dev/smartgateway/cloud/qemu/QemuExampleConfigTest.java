package dev.smartgateway.cloud.qemu;

import dev.smartgateway.config.ConfigLoader;
import dev.smartgateway.config.GatewayConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code examples/qemu/gateway.yaml} stays a valid configuration whose provider section the adapter accepts. */
class QemuExampleConfigTest {

  private static final Path YAML = QemuMachine.projectRoot().resolve("examples/qemu/gateway.yaml");

  @Test
  void theGatewayAcceptsTheExampleConfiguration() throws Exception {
    GatewayConfig config = ConfigLoader.parse(Files.readString(YAML), YAML.toString());

    assertThat(config.server().port()).isEqualTo(8080);
  }

  @Test
  void itsProviderSectionServesTheBuiltGuestAsResourceDemo() throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> yaml = new ObjectMapper(new YAMLFactory()).readValue(YAML.toFile(), Map.class);

    QemuSettings settings = QemuConfigParser.parse(new JsonObject(yaml).getJsonObject("provider"));

    VmSpec demo = settings.resources().get("demo");
    assertThat(demo.kernel()).endsWithRaw(Path.of("examples/qemu/build/vmlinuz"));
    assertThat(demo.initrd()).endsWithRaw(Path.of("examples/qemu/build/initrd.gz"));
    assertThat(demo.guestPort()).isEqualTo(8080);
    assertThat(settings.accel()).isEqualTo(Accel.AUTO);
  }
}
