package dev.smartgateway.lifecycle;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** FIFO of held requests of one pool. Control context only. */
final class WaiterQueue {

  private final ArrayDeque<Waiter> queue = new ArrayDeque<>();

  void add(Waiter waiter) {
    queue.add(waiter);
  }

  /** Back to the head of the line (it was just polled and could not be placed). */
  void addFirst(Waiter waiter) {
    queue.addFirst(waiter);
  }

  /** Next waiter still waiting, or null. */
  Waiter poll() {
    Waiter w;
    while ((w = queue.poll()) != null) {
      if (!w.isDone()) {
        return w;
      }
    }
    return null;
  }

  void remove(Waiter waiter) {
    queue.remove(waiter);
  }

  /** Removes and returns every waiter still waiting (to fail or re-place them all). */
  List<Waiter> drainAll() {
    List<Waiter> all = new ArrayList<>(queue.size());
    for (Waiter w : queue) {
      if (!w.isDone()) {
        all.add(w);
      }
    }
    queue.clear();
    return all;
  }

  /** In queue order; removing through it is allowed. */
  Iterator<Waiter> iterator() {
    return queue.iterator();
  }

  int size() {
    return queue.size();
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }
}
