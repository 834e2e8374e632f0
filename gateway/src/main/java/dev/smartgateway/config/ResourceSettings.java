package dev.smartgateway.config;

import java.time.Duration;
import java.util.Set;

/**
 * Everything that can be set per resource (under {@code defaults} and {@code resources.<id>}).
 *
 * @param startTimeout       a held request gets 504 after this long ({@code startTimeout}, default 5m)
 * @param idleTimeout        a VM with no request or open stream for this long is stopped ({@code idleTimeout}, default 10m)
 * @param maxWaiting         held requests for this resource; past it 503 ({@code maxWaiting}, default 1000)
 * @param drainTimeout       how long in-flight requests may take to finish before an idle VM is stopped ({@code drainTimeout}, default 30s)
 * @param readiness          the readiness probe ({@code readiness})
 * @param liveness           pings of READY VMs ({@code liveness})
 * @param releaseConcurrency held requests released to a fresh VM at once ({@code releaseConcurrency}, default 64)
 * @param connectTimeout     connecting to a VM ({@code connectTimeout}, default 5s)
 * @param responseTimeout    waiting for a VM's response headers ({@code responseTimeout}, default 60s; 504 after)
 * @param allowedGroups      if not empty, a request must hold one of these groups, else 403 ({@code allowedGroups})
 * @param browser            what a browser sees while the VM starts ({@code browser: waiting-page | hold}, default waiting-page)
 * @param provider           a provider for this resource only, or null for the gateway's ({@code provider})
 * @param maxInstances       VMs of this resource at once, all group sets together; a request that would need another
 *                           gets 503 {@code instance-limit} ({@code maxInstances}, default 4). Bounds group-set
 *                           spraying too: each group set needs an instance of its own
 * @param startBackoff       after a start that failed (boot failure, start timeout, the cloud refusing), the next
 *                           start of that group set waits, doubling from {@code initial} up to {@code max} and reset by
 *                           a VM that becomes ready; meanwhile requests get the failure with Retry-After
 *                           ({@code startBackoff: {initial: 1s, max: 1m}})
 * @param ignoreUserAgents   clients whose User-Agent matches one of these are served by a READY VM but never wake
 *                           one: 503 not-started ({@code ignoreUserAgents}, default none)
 * @param idlePolicy         what becomes of an idle VM once drained: stopped, or paused and resumed by the next
 *                           request ({@code idlePolicy: stop | suspend}, default stop; suspend needs a provider that
 *                           can pause, such as {@code qemu} or {@code mock})
 * @param minInstances       VMs kept running with no traffic, in the resource's open pool (started for no group, so
 *                           they serve every caller the resource admits); started at start-up and again after a
 *                           failure ({@code minInstances}, default 0)
 * @param targetConcurrency  requests in flight per ready VM of a pool above which, for a moment, one more
 *                           VM is started, up to maxInstances; one start at a time ({@code targetConcurrency},
 *                           default 100)
 * @param scaleDownDelay     how long the load of a pool must fit in one VM fewer (at targetConcurrency) before one
 *                           drains; one at a time, never below the floor; the last goes by idleTimeout
 *                           ({@code scaleDownDelay}, default 30s)
 * @param balancing          how requests are spread over a pool's ready VMs ({@code balancing: least-outstanding |
 *                           round-robin}, default least-outstanding)
 * @param keepWarm           windows in which at least so many VMs are kept running ({@code keepWarm}, default none)
 * @param cache              the response cache ({@code cache: {enabled, defaultTtl, maxBytes, maxEntryBytes}}, default
 *                           off; {@link CacheSettings})
 * @param protocol           how the gateway speaks to the resource's VMs ({@code protocol: http1 | h2c}, default
 *                           http1); h2c (HTTP/2 with prior knowledge) for gRPC servers, also for the readiness probe
 *                           and the liveness ping
 * @param maxConcurrency     requests in flight to one VM at most, across the gateway's event loops; more wait in the
 *                           gateway, held like a cold request (bounded by maxWaiting and startTimeout), and the pool
 *                           grows as if targetConcurrency were at most this ({@code maxConcurrency}, default 0: no
 *                           limit). For applications that take only so many at once (a small listen backlog, a
 *                           worker pool): the gateway queues instead of overflowing them
 */
public record ResourceSettings(Duration startTimeout, Duration idleTimeout, int maxWaiting, Duration drainTimeout,
                               ProbeConfig readiness, LivenessConfig liveness, int releaseConcurrency, Duration connectTimeout,
                               Duration responseTimeout, Set<String> allowedGroups, BrowserStrategy browser,
                               ProviderConfig provider, int maxInstances, Backoff startBackoff,
                               UserAgentPatterns ignoreUserAgents, IdlePolicy idlePolicy, int minInstances,
                               int targetConcurrency, Duration scaleDownDelay, Balancing balancing,
                               java.util.List<KeepWarmWindow> keepWarm, CacheSettings cache, Protocol protocol,
                               int maxConcurrency) {

  public ResourceSettings {
    allowedGroups = Set.copyOf(allowedGroups == null ? Set.of() : allowedGroups);
    ignoreUserAgents = ignoreUserAgents == null ? UserAgentPatterns.none() : ignoreUserAgents;
    idlePolicy = idlePolicy == null ? IdlePolicy.STOP : idlePolicy;
    cache = cache == null ? CacheSettings.defaults() : cache;
    balancing = balancing == null ? Balancing.LEAST_OUTSTANDING : balancing;
    keepWarm = keepWarm == null ? java.util.List.of() : java.util.List.copyOf(keepWarm);
    protocol = protocol == null ? Protocol.HTTP1 : protocol;
  }

  /** Speaking HTTP/1.1 to the VMs. */
  public ResourceSettings(Duration startTimeout, Duration idleTimeout, int maxWaiting, Duration drainTimeout,
                          ProbeConfig readiness, LivenessConfig liveness, int releaseConcurrency, Duration connectTimeout,
                          Duration responseTimeout, Set<String> allowedGroups, BrowserStrategy browser,
                          ProviderConfig provider, int maxInstances, Backoff startBackoff,
                          UserAgentPatterns ignoreUserAgents, IdlePolicy idlePolicy, int minInstances,
                          int targetConcurrency, Duration scaleDownDelay, Balancing balancing,
                          java.util.List<KeepWarmWindow> keepWarm, CacheSettings cache) {
    this(startTimeout, idleTimeout, maxWaiting, drainTimeout, readiness, liveness, releaseConcurrency, connectTimeout,
        responseTimeout, allowedGroups, browser, provider, maxInstances, startBackoff, ignoreUserAgents, idlePolicy,
        minInstances, targetConcurrency, scaleDownDelay, balancing, keepWarm, cache, Protocol.HTTP1, 0);
  }

  /** True if at most {@link #maxConcurrency} requests may be in flight to one VM. */
  public boolean limitsConcurrency() {
    return maxConcurrency > 0;
  }

  /** The in-flight load per VM above which a pool grows: targetConcurrency, or maxConcurrency if lower. */
  public int growthConcurrency() {
    return maxConcurrency > 0 ? Math.min(targetConcurrency, maxConcurrency) : targetConcurrency;
  }

  /**
   * VMs that must be running at {@code now} (epoch ms): minInstances, or more inside a keep-warm window (or within
   * its lead before it opens).
   */
  public int floorAt(long nowMillis) {
    int floor = minInstances;
    java.time.Instant now = java.time.Instant.ofEpochMilli(nowMillis);
    for (KeepWarmWindow w : keepWarm) {
      if (w.instances() > floor && (w.covers(now) || w.covers(now.plus(w.lead())))) {
        floor = w.instances();
      }
    }
    return floor;
  }

  /** The documented defaults: what a resource gets when neither {@code defaults} nor its own section say otherwise. */
  public static ResourceSettings defaults() {
    return new ResourceSettings(Duration.ofMinutes(5), Duration.ofMinutes(10), 1000, Duration.ofSeconds(30),
        ProbeConfig.defaults(), LivenessConfig.defaults(), 64, Duration.ofSeconds(5), Duration.ofSeconds(60), Set.of(),
        BrowserStrategy.WAITING_PAGE, null, 4, Backoff.defaults(), UserAgentPatterns.none(), IdlePolicy.STOP, 0, 100,
        Duration.ofSeconds(30), Balancing.LEAST_OUTSTANDING, java.util.List.of(), CacheSettings.defaults(),
        Protocol.HTTP1, 0);
  }

  /** A copy with another provider (a run-time registration keeps the provider the file gave the resource). */
  public ResourceSettings withProvider(ProviderConfig newProvider) {
    return new ResourceSettings(startTimeout, idleTimeout, maxWaiting, drainTimeout, readiness, liveness,
        releaseConcurrency, connectTimeout, responseTimeout, allowedGroups, browser, newProvider, maxInstances,
        startBackoff, ignoreUserAgents, idlePolicy, minInstances, targetConcurrency, scaleDownDelay, balancing, keepWarm, cache,
        protocol, maxConcurrency);
  }

  /** Exponential backoff: {@code initial}, doubled after each failure, at most {@code max}. */
  public record Backoff(Duration initial, Duration max) {

    public static Backoff defaults() {
      return new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));
    }

    /** The wait after {@code failures} failures in a row (1 or more). */
    public Duration after(int failures) {
      long ms = initial.toMillis();
      for (int i = 1; i < failures && ms < max.toMillis(); i++) {
        ms *= 2;
      }
      return Duration.ofMillis(Math.min(ms, max.toMillis()));
    }
  }

  public enum Balancing {
    /** The ready VM with the fewest requests in flight (ties spread in turn; two random choices in large pools). */
    LEAST_OUTSTANDING,
    /** Each ready VM in turn. */
    ROUND_ROBIN
  }

  /** How the gateway speaks to a resource's VMs. */
  public enum Protocol {
    /** HTTP/1.1 with keep-alive: one request at a time per pooled connection. */
    HTTP1,
    /**
     * HTTP/2 in cleartext with prior knowledge (no upgrade dance): many streams per connection, trailers; what
     * gRPC servers speak.
     */
    H2C;

    /** The value in the configuration: {@code http1} or {@code h2c}. */
    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public enum IdlePolicy {
    /** An idle VM is stopped; the next request boots a fresh one. */
    STOP,
    /** An idle VM is paused (memory kept); the next request resumes it, far sooner than a boot. */
    SUSPEND
  }

  public enum BrowserStrategy {
    /** Browsers get a self-refreshing "starting…" page while the VM boots; programs are held. */
    WAITING_PAGE,
    /** Browsers are held like any other client. */
    HOLD
  }
}
