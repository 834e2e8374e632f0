package dev.smartgateway.cloud.qemu;

import dev.smartgateway.cloud.CloudProvider;
import dev.smartgateway.cloud.CloudProviderFactory;
import dev.smartgateway.cloud.ProviderContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * {@code provider.type: qemu}: a real VM per instance, one QEMU process each, booted from a kernel and initrd or from
 * a copy-on-write overlay of a disk image, reached through a loopback host-forward and driven over QMP. Public with a
 * no-argument constructor because {@link java.util.ServiceLoader} instantiates it.
 */
public final class QemuCloudProviderFactory implements CloudProviderFactory {

  public static final String TYPE = "qemu";

  @Override
  public String type() {
    return TYPE;
  }

  /** A provider without an owner (embedding, tests): its VMs' records name none, and it adopts only such VMs. */
  @Override
  public Future<CloudProvider> create(Vertx vertx, JsonObject config) {
    return open(vertx, config, null);
  }

  /**
   * Every VM's record in the state directory names {@code context.owner()}; only that owner's VMs are adopted and
   * stopped, so gateways sharing a {@code stateDir} never take or stop each other's.
   */
  @Override
  public Future<CloudProvider> create(Vertx vertx, JsonObject config, ProviderContext context) {
    return open(vertx, config, context.owner());
  }

  private static Future<CloudProvider> open(Vertx vertx, JsonObject config, String owner) {
    QemuSettings settings;
    try {
      settings = QemuConfigParser.parse(config == null ? new JsonObject() : config);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return QemuCloudProvider.open(vertx, settings, owner);
  }
}
