package dev.smartgateway.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Gateway-wide bounds.
 *
 * @param maxInstances       VMs of all resources at once; a request that would need another gets 503
 *                           {@code instance-limit} ({@code limits.maxInstances}, default 100)
 * @param maxWaitingTotal    held requests across all resources ({@code limits.maxWaitingTotal}, default 10000); past it: 503
 * @param unknownResourceTtl how long a resource the cloud does not know is answered 404 without asking the cloud
 *                           again ({@code limits.unknownResourceTtl}, default 30s; 0 never remembers)
 * @param startsPerSecond    start calls to the cloud per second, in bursts of up to a second's worth; a start that
 *                           would wait over 5 s for its turn gets 503 {@code starts-throttled}
 *                           ({@code limits.startsPerSecond}, default 100; 0 for no limit)
 * @param connectionsPerVm pooled keep-alive connections to one VM, per server event loop
 *     ({@code limits.connectionsPerVm}, default 512). WebSocket upgrades use connections of their own and do
 *     not count
 * @param connectionQueuePerVm requests that may wait for one of those connections when all are busy, per event
 *     loop ({@code limits.connectionQueuePerVm}, default 1024); past it: 503 gateway-busy at once
 * @param connectionWait how long such a request may wait ({@code limits.connectionWait}, default 10s); then 503
 *     gateway-busy. Never less than the VM's connectTimeout in effect: a connection opened for the request
 *     gets its full connect time
 * @param vmIdleTimeout a connection to a VM with no byte either way for this long is closed, failing its exchange
 *     ({@code limits.vmIdleTimeout}, default 5m; 0 never). WebSockets are not subject to it
 */
public record LimitsConfig(int maxInstances, int maxWaitingTotal, Duration unknownResourceTtl, int startsPerSecond,
                           int connectionsPerVm, int connectionQueuePerVm, Duration connectionWait,
                           Duration vmIdleTimeout) {

  public static final Duration DEFAULT_VM_IDLE_TIMEOUT = Duration.ofMinutes(5);

  public LimitsConfig {
    Objects.requireNonNull(unknownResourceTtl, "unknownResourceTtl");
    Objects.requireNonNull(connectionWait, "connectionWait");
    Objects.requireNonNull(vmIdleTimeout, "vmIdleTimeout");
  }

  /** With the default VM idle timeout. */
  public LimitsConfig(int maxInstances, int maxWaitingTotal, Duration unknownResourceTtl, int startsPerSecond,
                      int connectionsPerVm, int connectionQueuePerVm, Duration connectionWait) {
    this(maxInstances, maxWaitingTotal, unknownResourceTtl, startsPerSecond, connectionsPerVm, connectionQueuePerVm, connectionWait,
        DEFAULT_VM_IDLE_TIMEOUT);
  }

  public static LimitsConfig defaults() {
    return new LimitsConfig(100, 10_000, Duration.ofSeconds(30), 100, 512, 1024, Duration.ofSeconds(10));
  }
}
