package dev.smartgateway.admin;

import dev.smartgateway.config.ConfigException;
import dev.smartgateway.config.GatewayConfig;
import dev.smartgateway.config.ResourceCatalog;
import dev.smartgateway.config.ResourceSettings;
import dev.smartgateway.config.ResourceSettingsJson;
import dev.smartgateway.store.Registration;
import dev.smartgateway.store.Store;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resources registered, changed and unregistered at run time (DESIGN section 9): checked like the
 * configuration file's entries (same keys, same messages), written to the store before they take effect
 * (so that they outlive a restart), and laid over the file's entries when the gateway starts again.
 */
public final class Registrations {

  private static final Logger log = LoggerFactory.getLogger(Registrations.class);

  private final GatewayConfig config;
  private final ResourceCatalog catalog;
  private final Store store;
  /** Resources whose settings came from the admin API (the others listed come from the file). */
  private final Set<String> registered = ConcurrentHashMap.newKeySet();

  public Registrations(GatewayConfig config, ResourceCatalog catalog, Store store) {
    this.config = config;
    this.catalog = catalog;
    this.store = store;
  }

  /** Lays the stored registrations over the file's resources; before the lifecycle starts. */
  public Future<Void> restore() {
    return store.registrations().map(all -> {
      for (Registration r : all) {
        if (r.isTombstone()) {
          if (catalog.remove(r.resource()) != null) {
            log.info("resource '{}' stays unregistered (through the admin API); the configuration file's entry does not apply",
                r.resource());
          }
          continue;
        }
        try {
          catalog.put(r.resource(), settings(r.resource(), r.settings()));
          registered.add(r.resource());
          if (config.resources().containsKey(r.resource())) {
            log.info("resource '{}': its run-time registration replaces the configuration file's entry", r.resource());
          }
        } catch (ConfigException e) {
          log.error("resource '{}': its stored registration is no longer valid and is ignored ({})", r.resource(),
              e.getMessage());
        }
      }
      return null;
    });
  }

  /** What a PUT does: true if the resource had no settings of its own before. Fails with a ConfigException. */
  Future<Boolean> put(String resource, String json) {
    ResourceSettings settings;
    try {
      settings = settings(resource, json);
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    return store.saveRegistration(new Registration(resource, json, System.currentTimeMillis())).map(v -> {
      boolean created = catalog.put(resource, settings) == null;
      registered.add(resource);
      return created;
    });
  }

  /** What a DELETE does: false if the resource had no settings of its own. */
  Future<Boolean> remove(String resource) {
    if (!catalog.isListed(resource)) {
      return Future.succeededFuture(false);
    }
    return store.saveRegistration(new Registration(resource, null, System.currentTimeMillis())).map(v -> {
      catalog.remove(resource);
      registered.remove(resource);
      return true;
    });
  }

  /** Where a resource's settings come from: {@code admin}, {@code config} or {@code defaults}. */
  String source(String resource) {
    if (registered.contains(resource)) {
      return "admin";
    }
    return catalog.isListed(resource) ? "config" : "defaults";
  }

  /**
   * Reads a registration. Providers are created when the gateway starts, so a resource's own provider can only
   * come from the file: a registration keeps the file's provider of that resource and may not name another.
   */
  private ResourceSettings settings(String resource, String json) {
    ResourceSettings fromFile = config.resources().get(resource);
    ResourceSettings read = ResourceSettingsJson.read(resource, json, catalog.defaults());
    var fileProvider = fromFile == null ? config.defaults().provider() : fromFile.provider();
    if (read.provider() != null && !Objects.equals(read.provider(), fileProvider)) {
      throw ConfigException.of(List.of(new ConfigException("resources." + resource + ".provider",
          "a resource's own provider can only be set in the configuration file (providers are created when the"
              + " gateway starts); leave it out to keep the one the file gives")));
    }
    return read.withProvider(fileProvider);
  }
}
