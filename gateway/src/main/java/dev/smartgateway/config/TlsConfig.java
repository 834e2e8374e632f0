package dev.smartgateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A listener's certificate and key ({@code server.tls} or {@code admin.tls}), read by one reader for both
 * ({@link TlsConfigReader}) and loaded and reloaded by one loader ({@code dev.smartgateway.tls}).
 *
 * @param section        the dotted key this came from ({@code server.tls}), so that every later error about
 *                       the files names it
 * @param certFile       PEM certificate chain, the listener's own certificate first ({@code .cert})
 * @param keyFile        PEM private key of that certificate, unencrypted (PKCS#8 or PKCS#1) ({@code .key})
 * @param reloadInterval how often the two files' modification times are looked at; a changed pair is loaded
 *                       without dropping open connections ({@code .reloadInterval}, default 10s;
 *                       0s = never reloaded)
 */
public record TlsConfig(String section, Path certFile, Path keyFile, Duration reloadInterval) {

  public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(10);

  public TlsConfig {
    Objects.requireNonNull(section, "section");
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
    Objects.requireNonNull(reloadInterval, "reloadInterval");
  }

  /** The full key of one of the section's keys, for messages: {@code server.tls.cert}. */
  public String key(String name) {
    return section + "." + name;
  }
}
