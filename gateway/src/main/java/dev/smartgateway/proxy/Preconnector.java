package dev.smartgateway.proxy;

import dev.smartgateway.config.ResourceSettings;
import dev.smartgateway.lifecycle.Preconnect;

import java.util.List;

/**
 * Opens connections to a VM about to serve in the pools of every server event loop: held requests are spread over
 * the loops as their client connections were (Vert.x balances connections between the servers), so each loop's
 * pool gets its share, rounded up.
 */
public final class Preconnector implements Preconnect {

  private final List<Forwarder> forwarders;

  public Preconnector(List<Forwarder> forwarders) {
    this.forwarders = List.copyOf(forwarders);
  }

  @Override
  public void open(String host, int port, ResourceSettings settings, int count) {
    if (forwarders.isEmpty() || count <= 0) {
      return;
    }
    int share = (count + forwarders.size() - 1) / forwarders.size();
    for (Forwarder forwarder : forwarders) {
      forwarder.preopen(host, port, settings.protocol(), settings.connectTimeout(), share);
    }
  }
}
