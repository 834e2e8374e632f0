package dev.smartgateway.cloud.local;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Which of the records a provider finds in its state directory it may take over, by the owner rule every local
 * adapter follows: another owner's records are left alone, dead or alive (that gateway adopts or cleans them up
 * itself); of the rest, a live instance is adopted, a dead one forgotten (its files deleted) — except that a live
 * instance whose record names no owner is not adopted by a provider that has one (it may be anyone's): it is only
 * reported, to be stopped by hand.
 *
 * @param adoptable live instances to adopt, with their processes
 * @param unowned   live instances recorded without an owner, which a provider with one must not adopt
 * @param dead      the provider's own records (or owner-less ones) whose process no longer runs
 * @param foreign   how many records each other owner has here, by owner in order
 */
public record Claim<R extends LocalRecord>(List<Live<R>> adoptable, List<Live<R>> unowned, List<R> dead,
                                           Map<String, Integer> foreign) {

  /** A record whose process still runs. */
  public record Live<R>(R record, ProcessHandle process) {
  }

  /**
   * @param owner the provider's owner, or null for none
   * @param find  the live process a record describes, if its pid still runs that very instance (blocking)
   */
  public static <R extends LocalRecord> Claim<R> sort(List<R> records, String owner,
                                                     Function<R, Optional<ProcessHandle>> find) {
    List<Live<R>> adoptable = new ArrayList<>();
    List<Live<R>> unowned = new ArrayList<>();
    List<R> dead = new ArrayList<>();
    Map<String, Integer> foreign = new TreeMap<>();
    for (R record : records) {
      if (record.owner() != null && !record.owner().equals(owner)) {
        foreign.merge(record.owner(), 1, Integer::sum);
        continue;
      }
      Optional<ProcessHandle> process = find.apply(record);
      if (process.isEmpty()) {
        dead.add(record);
      } else if (record.owner() == null && owner != null) {
        unowned.add(new Live<>(record, process.get()));
      } else {
        adoptable.add(new Live<>(record, process.get()));
      }
    }
    return new Claim<>(List.copyOf(adoptable), List.copyOf(unowned), List.copyOf(dead), Collections.unmodifiableMap(foreign));
  }

  /** How many records other owners have here in all. */
  public int foreignCount() {
    return foreign.values().stream().mapToInt(Integer::intValue).sum();
  }
}
