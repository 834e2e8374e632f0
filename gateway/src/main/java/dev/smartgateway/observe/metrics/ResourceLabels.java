package dev.smartgateway.observe.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The {@code resource} label, bounded: at most {@code max} resources get a label (and meters) of their own, every
 * other one shares {@link #OTHER}; a request that named no valid resource is {@link #NONE}. A resource earns its
 * label only by being admitted ({@code admit} true: it was served by a VM, became READY, or is configured), so
 * requests for made-up names (404 unknown-resource) cannot use up the places.
 *
 * <p>Read on every request by every event loop: a lookup is one {@link ConcurrentHashMap#get}, no lock, no
 * allocation. Admitting takes a lock, at most {@code max} times in a gateway's life; once the places are taken a
 * volatile flag sends every later newcomer to {@link #OTHER} without it. Memory is bounded by {@code max}: names
 * counted as {@link #OTHER} are not remembered.
 *
 * @param <T> what is kept per label (its meters)
 */
final class ResourceLabels<T> {

  /** The label of every resource beyond the first {@code max}. */
  static final String OTHER = "other";
  /** The label of a request that named no valid resource (a malformed URL, refused by the HTTP decoder). */
  static final String NONE = "none";

  private final int max;
  private final Function<String, T> create;
  private final ConcurrentHashMap<String, T> named = new ConcurrentHashMap<>();
  private final T other;
  private final T none;
  private volatile boolean full;

  /** @param create makes what is kept for a label (called with the label, under the admission lock) */
  ResourceLabels(int max, Function<String, T> create) {
    this.max = max;
    this.create = create;
    this.other = create.apply(OTHER);
    this.none = create.apply(NONE);
    this.full = max <= 0;
  }

  /**
   * What is kept for this resource's label.
   *
   * @param resource the resource, or null when the request named none
   * @param admit    whether the resource may take a free place (it is real: served, ready or configured)
   */
  T get(String resource, boolean admit) {
    if (resource == null) {
      return none;
    }
    T own = named.get(resource);
    if (own != null) {
      return own;
    }
    return admit && !full ? admit(resource) : other;
  }

  /** The label a resource is counted under now (without admitting it). */
  String label(String resource) {
    if (resource == null) {
      return NONE;
    }
    return named.containsKey(resource) ? resource : OTHER;
  }

  /** Resources with a label of their own. */
  int size() {
    return named.size();
  }

  private synchronized T admit(String resource) {
    T own = named.get(resource);
    if (own != null) {
      return own;
    }
    if (named.size() >= max || resource.equals(OTHER) || resource.equals(NONE)) {
      // A resource literally named like a bucket is counted in that bucket.
      full = named.size() >= max;
      return resource.equals(NONE) ? none : other;
    }
    own = create.apply(resource);
    named.put(resource, own);
    full = named.size() >= max;
    return own;
  }
}
