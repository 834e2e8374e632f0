package dev.smartgateway.lifecycle;

import dev.smartgateway.config.ProbeConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Probes answered by the test: per port, a status (answered at once), a refusal, or left pending. */
final class FakeProber implements Prober {

  record Probe(String host, int port, Promise<Integer> answer) {
  }

  /** Ports whose probes stay unanswered until the test answers them from {@link #pending}. */
  final List<Probe> pending = new ArrayList<>();
  private final Map<Integer, Integer> status = new HashMap<>();
  private final Map<Integer, Boolean> refused = new HashMap<>();
  private final Map<Integer, Boolean> manual = new HashMap<>();
  int probes;
  /** The protocol of every probe, in order. */
  final List<dev.smartgateway.config.ResourceSettings.Protocol> protocols = new ArrayList<>();

  void answer(int port, int code) {
    status.put(port, code);
    refused.remove(port);
  }

  void refuse(int port) {
    refused.put(port, true);
  }

  void hold(int port) {
    manual.put(port, true);
  }

  @Override
  public Future<Integer> probe(String host, int port, ProbeConfig probe) {
    probes++;
    Promise<Integer> promise = Promise.promise();
    if (manual.getOrDefault(port, false)) {
      pending.add(new Probe(host, port, promise));
    } else if (refused.getOrDefault(port, false)) {
      promise.fail(new java.net.ConnectException("Connection refused"));
    } else {
      promise.complete(status.getOrDefault(port, 200));
    }
    return promise.future();
  }

  @Override
  public Future<Integer> probe(String host, int port, ProbeConfig probe,
                               dev.smartgateway.config.ResourceSettings.Protocol protocol) {
    protocols.add(protocol);
    return probe(host, port, probe);
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
