package dev.smartgateway.cloud.qemu;

import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.SettingsProviderFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * {@code provider.type: qemu}: a real VM per instance, one QEMU process each, booted from a kernel and initrd or from
 * a copy-on-write overlay of a disk image, reached through a loopback host-forward and driven over QMP. Public with a
 * no-argument constructor because {@link java.util.ServiceLoader} instantiates it.
 *
 * <p>Every VM's record in the state directory names the owner; only that owner's VMs are adopted and stopped, so
 * gateways sharing a {@code stateDir} never take or stop each other's.
 */
public final class QemuCloudProviderFactory extends SettingsProviderFactory<QemuSettings> {

  public static final String TYPE = "qemu";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  protected QemuSettings parse(JsonObject provider) {
    return QemuConfigParser.parse(provider);
  }

  @Override
  protected Future<CloudProvider> open(Vertx vertx, QemuSettings settings, String owner) {
    return QemuCloudProvider.open(vertx, settings, owner);
  }
}
