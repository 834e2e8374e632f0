package dev.smartgateway.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Who this gateway is ({@code gateway:} section). Every instance the gateway starts carries {@link #id} as its
 * owner; the gateway adopts and stops only instances that carry it (DESIGN section 5).
 *
 * @param id {@code gateway.id}: a short label-safe string (see {@link #GRAMMAR}); by default derived from the
 *           host name and {@code server.port}, e.g. {@code myhost-8080}
 */
public record GatewayIdentity(String id) {

  /** Label-safe in the clouds' strictest common form (a Kubernetes label value): at most 63 characters. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");
  public static final String GRAMMAR = "letters, digits, '.', '_' and '-', at most 63, starting and ending with a "
      + "letter or digit";

  public GatewayIdentity {
    if (!isValid(id)) {
      throw new IllegalArgumentException(ConfigSection.quote(String.valueOf(id)) + " is not a gateway id (" + GRAMMAR + ")");
    }
  }

  public static boolean isValid(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** The default identity of a gateway on this host listening on {@code port}. */
  public static GatewayIdentity defaultFor(int port) {
    return new GatewayIdentity(defaultId(HostName.VALUE, port));
  }

  /** Looked up once, on first use. */
  private static final class HostName {
    static final String VALUE = hostName();
  }

  /**
   * {@code <host>-<port>}, the host name lower-cased, with every character outside the grammar replaced by
   * {@code -}, shortened to fit. Two gateways on one host differ by port; with {@code server.port: 0} set an id.
   */
  static String defaultId(String host, int port) {
    String suffix = "-" + port;
    String cleaned = host == null ? "" : host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
    if (cleaned.length() > 63 - suffix.length()) {
      cleaned = cleaned.substring(0, 63 - suffix.length());
    }
    cleaned = cleaned.replaceAll("^[^a-z0-9]+", "");
    return (cleaned.isEmpty() ? "gateway" : cleaned) + suffix;
  }

  /**
   * The host's name without asking DNS (a lookup can hang start-up): {@code HOSTNAME} if exported, else
   * {@code /etc/hostname}, else what Java reports; {@code gateway} if none answers.
   */
  static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env.trim();
    }
    try {
      String file = Files.readString(Path.of("/etc/hostname"), StandardCharsets.UTF_8).trim();
      if (!file.isEmpty()) {
        return file;
      }
    } catch (IOException | RuntimeException ignored) {
      // not Linux, or not readable: ask Java
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException | RuntimeException e) {
      return "gateway";
    }
  }
}
