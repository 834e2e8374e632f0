package dev.smartgateway.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Reads a {@code tls: {cert, key, reloadInterval}} section, the same way for the public listener
 * ({@code server.tls}) and the admin listener ({@code admin.tls}). Only the shape is checked here; the files
 * are read, parsed and matched when the listener starts ({@code dev.smartgateway.tls.PemKeyPair}), where a
 * problem is again reported under {@code <section>.cert} or {@code <section>.key}.
 */
final class TlsConfigReader {

  private TlsConfigReader() {
  }

  /** @return null when the section is absent or empty: the listener speaks cleartext */
  static TlsConfig read(ConfigSection tls) {
    tls.allowOnly(List.of("cert", "key", "reloadInterval"));
    String cert = file(tls, "cert");
    String key = file(tls, "key");
    if (cert == null && key == null) {
      return null;
    }
    if (cert == null || key == null) {
      String missing = cert == null ? "cert" : "key";
      tls.error(missing, "required with " + tls.key(cert == null ? "key" : "cert")
          + " (a PEM file: the certificate chain and its private key go together)");
      return null;
    }
    return new TlsConfig(tls.path(), Path.of(cert), Path.of(key),
        tls.duration("reloadInterval", TlsConfig.DEFAULT_RELOAD_INTERVAL));
  }

  private static String file(ConfigSection tls, String name) {
    String value = tls.string(name, null);
    if (value != null && value.isBlank()) {
      tls.error(name, "must not be empty (a PEM file's path)");
      return null;
    }
    return value;
  }
}
