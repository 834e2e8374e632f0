package dev.smartgateway.access;

import java.util.Collection;
import java.util.Iterator;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The groups a caller holds or a VM was started for: a set (order and duplicates do not matter) with a
 * canonical, sorted, comma-joined form used as a key.
 */
public final class GroupSet implements Iterable<String> {

  private final SortedSet<String> groups;
  private final String canonical;

  private GroupSet(SortedSet<String> groups) {
    this.groups = groups;
    this.canonical = String.join(",", groups);
  }

  public static GroupSet of(Collection<String> groups) {
    return new GroupSet(new TreeSet<>(groups));
  }

  public static GroupSet of(String... groups) {
    return of(java.util.List.of(groups));
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
