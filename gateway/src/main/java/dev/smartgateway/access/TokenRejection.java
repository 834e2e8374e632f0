package dev.smartgateway.access;

import dev.smartgateway.error.ErrorType;
import dev.smartgateway.error.GatewayException;

/**
 * Why a request has no valid bearer token (RFC 6750 section 3): none at all, or one that does not verify. Carried as
 * the cause of the 401 {@link GatewayException}, so the access stage can put the {@code WWW-Authenticate} challenge
 * beside the problem. Descriptions are fixed texts (never echo the token: a header value must stay printable ASCII
 * without quotes, and a forged token's claims are nobody's business).
 */
public final class TokenRejection extends RuntimeException {

  /** The realm named in every challenge. */
  public static final String REALM = "smart-gateway";

  private final boolean missing;

  private TokenRejection(boolean missing, String description) {
    super(description, null, false, false);
    this.missing = missing;
  }

  /** No {@code Authorization: Bearer} at all: the challenge carries no error (RFC 6750 section 3.1). */
  public static TokenRejection missing() {
    return new TokenRejection(true, "a bearer token is required (Authorization: Bearer <token>)");
  }

  /** A token that is malformed, unverifiable, expired or for someone else. */
  public static TokenRejection invalid(String description) {
    return new TokenRejection(false, description);
  }

  public boolean isMissing() {
    return missing;
  }

  public String description() {
    return getMessage();
  }

  /** The {@code WWW-Authenticate} value. */
  public String challenge() {
    if (missing) {
      return "Bearer realm=\"" + REALM + "\"";
    }
    return "Bearer realm=\"" + REALM + "\", error=\"invalid_token\", error_description=\"" + headerSafe(getMessage())
        + "\"";
  }

  /** As the client's 401: {@code unauthorized}, with this as its cause. */
  public GatewayException toProblem(String resource) {
    return new GatewayException(ErrorType.UNAUTHORIZED, getMessage(), resource, null, this);
  }

  /** RFC 6750's error_description alphabet: printable ASCII without {@code "} and {@code \}. */
  static String headerSafe(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' ? c : '\'');
    }
    return out.toString();
  }
}
