package com.example.smartgateway.nimbus;

import dev.smartgateway.cloud.CloudException;
import dev.smartgateway.cloud.Instance;
import dev.smartgateway.cloud.InstanceState;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Translation between Nimbus machines and the gateway's {@link Instance}s. */
final class NimbusMachines {

  /** Every machine the gateway creates carries these labels; {@code list} asks for the first. */
  static final String GATEWAY_LABEL = "smart-gateway";
  static final String RESOURCE_LABEL = "smart-gateway-resource";
  static final String GROUPS_LABEL = "smart-gateway-groups";
  /** The gateway that started the machine (its {@code gateway.id}): a gateway adopts and stops only its own. */
  static final String OWNER_LABEL = "smart-gateway-owner";

  private NimbusMachines() {
  }

  /** The body of {@code POST /v1/machines}; {@code owner} null: a provider created without one. */
  static JsonObject createRequest(String image, String resource, Set<String> groups, String owner) {
    JsonObject labels = new JsonObject()
        .put(GATEWAY_LABEL, "true")
        .put(RESOURCE_LABEL, resource)
        .put(GROUPS_LABEL, String.join(",", new TreeSet<>(groups)));
    if (owner != null) {
      labels.put(OWNER_LABEL, owner);
    }
    return new JsonObject().put("image", image).put("labels", labels);
  }

  /** Whether a listed machine was started by a gateway (other tools may use the label too). */
  static boolean isGatewayMachine(JsonObject machine) {
    JsonObject labels = machine.getJsonObject("labels");
    return labels != null && labels.getString(RESOURCE_LABEL) != null;
  }

  static Instance toInstance(JsonObject machine) {
    String id = machine.getString("machine_id");
    JsonObject labels = machine.getJsonObject("labels", new JsonObject());
    String resource = labels.getString(RESOURCE_LABEL);
    if (id == null || resource == null) {
      throw new CloudException(CloudException.Kind.PERMANENT, "Nimbus answered a machine without machine_id or "
          + RESOURCE_LABEL + " label: " + machine.encode());
    }
    String status = machine.getString("status", "");
    String ip = machine.getString("ip");
    Integer port = machine.getInteger("port");
    InstanceState state = state(status);
    URI endpoint = null;
    if (state == InstanceState.RUNNING) {
      if (ip == null || port == null) {
        state = InstanceState.BOOTING; // active but not yet routable: nothing to forward to yet
      } else {
        endpoint = URI.create("http://" + (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port);
      }
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("nimbus.status", status);
    putIfPresent(metadata, "nimbus.image", machine.getString("image"));
    putIfPresent(metadata, "nimbus.ip", ip);
    putIfPresent(metadata, "nimbus.createdAt", machine.getString("created_at"));
    // The SPI's owner key: the gateway adopts the machine after a restart only if it is its own.
    putIfPresent(metadata, Instance.OWNER, labels.getString(OWNER_LABEL));
    return new Instance(id, resource, groups(labels.getString(GROUPS_LABEL)), state, endpoint, metadata);
  }

  /**
   * Nimbus statuses. An unknown one is reported as PENDING (the gateway keeps polling and its start timeout
   * bounds the wait) rather than guessed to be an end state.
   */
  static InstanceState state(String status) {
    return switch (status) {
      case "provisioning" -> InstanceState.BOOTING;
      case "active" -> InstanceState.RUNNING;
      case "stopping" -> InstanceState.STOPPING;
      case "terminated" -> InstanceState.STOPPED;
      case "error" -> InstanceState.FAILED;
      default -> InstanceState.PENDING;
    };
  }

  private static Set<String> groups(String label) {
    if (label == null || label.isBlank()) {
      return Set.of();
    }
    return new LinkedHashSet<>(Arrays.asList(label.split(",")));
  }

  private static void putIfPresent(Map<String, String> metadata, String key, String value) {
    if (value != null) {
      metadata.put(key, value);
    }
  }
}
