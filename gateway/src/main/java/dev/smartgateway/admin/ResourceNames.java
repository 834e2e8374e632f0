package dev.smartgateway.admin;

import dev.smartgateway.routing.Names;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** The targets of a pattern fan-out: the known resource names that match, each once, in name order. */
final class ResourceNames {

  private ResourceNames() {
  }

  /** Names that are not resource names (they could not be addressed by a virtual URL) never match. */
  static List<String> matching(GlobPattern pattern, Collection<String> known) {
    TreeSet<String> matched = new TreeSet<>();
    for (String name : known) {
      if (name != null && Names.isResourceId(name) && pattern.matches(name)) {
        matched.add(name);
      }
    }
    return List.copyOf(matched);
  }
}
