package dev.smartgateway.config;

/**
 * How the groups in a virtual URL are trusted ({@code access.groups}).
 *
 * @param groups {@code url}: as asserted by the URL (trusted networks, like the proof of concept)
 */
public record AccessConfig(TrustMode groups) {

  public static AccessConfig defaults() {
    return new AccessConfig(TrustMode.URL);
  }

  public enum TrustMode {
    URL
  }
}
