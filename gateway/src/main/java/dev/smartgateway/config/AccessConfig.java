package dev.smartgateway.config;

/**
 * How the groups in a virtual URL are trusted ({@code access.groups}, DESIGN section 4).
 *
 * @param groups {@code url}: as asserted by the URL (trusted networks, like the proof of concept); {@code jwt}: only
 *               as far as a verified bearer token grants them
 * @param jwt    how tokens are verified; null unless {@code groups} is {@code jwt}
 */
public record AccessConfig(TrustMode groups, JwtConfig jwt) {

  public AccessConfig {
    if ((groups == TrustMode.JWT) != (jwt != null)) {
      throw new IllegalArgumentException("access.jwt is needed with, and only with, access.groups: jwt");
    }
  }

  public static AccessConfig defaults() {
    return new AccessConfig(TrustMode.URL, null);
  }

  public enum TrustMode {
    URL, JWT
  }
}
