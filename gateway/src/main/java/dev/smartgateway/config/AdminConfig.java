package dev.smartgateway.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The admin listener (DESIGN section 9): the operators' API beside the public listener.
 *
 * @param enabled         whether it listens at all ({@code admin.enabled}, default true)
 * @param host            bind address ({@code admin.host}, default 127.0.0.1)
 * @param port            ({@code admin.port}, default 8081; 0 picks a free port)
 * @param tokenFile       a file whose content (trimmed) is the bearer token ({@code admin.tokenFile})
 * @param tokenEnv        an environment variable holding the token ({@code admin.tokenEnv}); without either, the
 *                        listener only starts on loopback, and then asks for no token
 * @param tls             certificate and key: with them the listener speaks HTTPS, reloaded like the public
 *                        listener's ({@code admin.tls: {cert, key, reloadInterval}}); null for cleartext
 * @param fanoutMaxTargets     targets one fan-out may name ({@code admin.fanout.maxTargets}, default 1000)
 * @param fanoutMaxConcurrency requests one fan-out may have in flight ({@code admin.fanout.maxConcurrency}, default 64)
 * @param fanoutMaxBodyBytes   bytes of each answer's body a fan-out line may carry ({@code admin.fanout.maxBodySize},
 *                             default 1m); longer bodies are cut there and marked {@code truncated}
 */
public record AdminConfig(boolean enabled, String host, int port, Path tokenFile, String tokenEnv, TlsConfig tls,
                          int fanoutMaxTargets, int fanoutMaxConcurrency, long fanoutMaxBodyBytes) {

  public AdminConfig {
    Objects.requireNonNull(host, "host");
  }

  public static AdminConfig defaults() {
    return new AdminConfig(true, "127.0.0.1", 8081, null, null, null, 1000, 64, 1 << 20);
  }

  public boolean isTls() {
    return tls != null;
  }

  /** A copy listening elsewhere (tests: port 0). */
  public AdminConfig withPort(int port) {
    return new AdminConfig(enabled, host, port, tokenFile, tokenEnv, tls, fanoutMaxTargets,
        fanoutMaxConcurrency, fanoutMaxBodyBytes);
  }
}
