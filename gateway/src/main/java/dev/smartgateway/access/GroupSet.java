package dev.smartgateway.access;

import java.util.Collection;
import java.util.Iterator;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The groups a caller holds or a VM was started for: a set (order and duplicates do not matter) with a
 * canonical, sorted, comma-joined form used as a key. Only valid group names are accepted, so that the
 * canonical form is unambiguous: a name with a comma would make {@code {"a,b"}} and {@code {a, b}} one key.
 */
public final class GroupSet implements Iterable<String> {

  public static final int MAX_NAME_LENGTH = 64;
  /** The group name grammar of DESIGN section 3, for messages. */
  public static final String NAME_GRAMMAR = "[A-Za-z0-9._-]{1,64}, not . or ..";

  private final SortedSet<String> groups;
  private final String canonical;

  private GroupSet(SortedSet<String> groups) {
    this.groups = groups;
    this.canonical = String.join(",", groups);
  }

  /** @throws IllegalArgumentException if a name is not a valid group name ({@link #isValidName}) */
  public static GroupSet of(Collection<String> groups) {
    for (String name : groups) {
      if (!isValidName(name)) {
        throw new IllegalArgumentException("not a group name (" + NAME_GRAMMAR + "): " + name);
      }
    }
    return new GroupSet(new TreeSet<>(groups));
  }

  public static GroupSet of(String... groups) {
    return of(java.util.List.of(groups));
  }

  /**
   * {@code [A-Za-z0-9._-]{1,64}} except {@code .} and {@code ..}, which would be dot segments in a URL.
   */
  public static boolean isValidName(String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH || name.equals(".") || name.equals("..")) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean nameChar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-';
      if (!nameChar) {
        return false;
      }
    }
    return true;
  }

  /** True if every group of {@code other} is in this set: a VM started for {@code other} may serve this caller. */
  public boolean containsAll(GroupSet other) {
    return groups.containsAll(other.groups);
  }

  /** True if this set holds at least one of {@code candidates}. */
  public boolean containsAny(Collection<String> candidates) {
    for (String c : candidates) {
      if (groups.contains(c)) {
        return true;
      }
    }
    return false;
  }

  public int size() {
    return groups.size();
  }

  public Set<String> asSet() {
    return Set.copyOf(groups);
  }

  @Override
  public Iterator<String> iterator() {
    return java.util.Collections.unmodifiableSortedSet(groups).iterator();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GroupSet other && canonical.equals(other.canonical);
  }

  @Override
  public int hashCode() {
    return canonical.hashCode();
  }

  /** Sorted, comma-joined: {@code g1,g2}. */
  @Override
  public String toString() {
    return canonical;
  }
}
