package dev.smartgateway.access;

import java.time.Instant;
import java.util.Set;

/**
 * What a verified bearer token grants: its groups (the valid names of its groups claim), its subject, and until
 * when (its {@code exp}, leeway not included).
 *
 * @param subject the {@code sub} claim; null if the token has none
 */
public record VerifiedToken(Set<String> groups, String subject, Instant expires) {

  public VerifiedToken {
    groups = Set.copyOf(groups);
  }

  /** True if every group of the URL is granted by the token. */
  public boolean grants(GroupSet urlGroups) {
    return groups.containsAll(urlGroups.asSet());
  }
}
