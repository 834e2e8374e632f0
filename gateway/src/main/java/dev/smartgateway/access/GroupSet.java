package dev.smartgateway.access;

import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.Set;

/**
 * The groups a caller holds or a VM was started for: a set (order and duplicates do not matter) with a
 * canonical, sorted, comma-joined form used as a key. Only valid group names are accepted, so that the
 * canonical form is unambiguous: a name with a comma would make {@code {"a,b"}} and {@code {a, b}} one key.
 *
 * <p>Held as a sorted array: every held request keeps one, and a tree set of one name cost about 140 bytes more
 * (bench: heap per held request).
 */
public final class GroupSet implements Iterable<String> {

  public static final int MAX_NAME_LENGTH = 64;
  /** The group name grammar of DESIGN section 3, for messages. */
  public static final String NAME_GRAMMAR = "[A-Za-z0-9._-]{1,64}, not . or ..";

  /** Sorted (natural order of String), without duplicates; never changed. */
  private final String[] groups;
  private final String canonical;

  private GroupSet(String[] groups) {
    this.groups = groups;
    this.canonical = groups.length == 1 ? groups[0] : String.join(",", groups);
  }

  /** @throws IllegalArgumentException if a name is not a valid group name ({@link #isValidName}) */
  public static GroupSet of(Collection<String> groups) {
    for (String name : groups) {
      if (!isValidName(name)) {
        throw new IllegalArgumentException("not a group name (" + NAME_GRAMMAR + "): " + name);
      }
    }
    String[] sorted = groups.toArray(new String[0]);
    Arrays.sort(sorted);
    int distinct = 0;
    for (String name : sorted) {
      if (distinct == 0 || !name.equals(sorted[distinct - 1])) {
        sorted[distinct++] = name;
      }
    }
    return new GroupSet(distinct == sorted.length ? sorted : Arrays.copyOf(sorted, distinct));
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
    for (String name : other.groups) {
      if (!contains(name)) {
        return false;
      }
    }
    return true;
  }

  private boolean contains(String name) {
    return Arrays.binarySearch(groups, name) >= 0;
  }

  /** True if this set holds at least one of {@code candidates}. */
  public boolean containsAny(Collection<String> candidates) {
    for (String c : candidates) {
      if (contains(c)) {
        return true;
      }
    }
    return false;
  }

  public int size() {
    return groups.length;
  }

  public Set<String> asSet() {
    return Set.of(groups);
  }

  @Override
  public Iterator<String> iterator() {
    return Arrays.asList(groups).iterator(); // an array list's iterator cannot remove
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
