package dev.smartgateway.observe;

import dev.smartgateway.store.HistoryEvent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The live side of the history: entries as they are recorded, numbered in order, to every watcher (the SSE
 * stream, the console). The last {@code replay} entries are kept, so a watcher that reconnects with the
 * number it saw last ({@code Last-Event-ID}) misses nothing that is still kept. Watchers are bounded; each
 * must be quick (hand the entry to its own context).
 */
public final class EventFeed {

  /** An entry and its number in this gateway's feed. */
  public record Numbered(long seq, HistoryEvent event) {
  }

  private final int maxWatchers;
  private final int replay;
  private final ArrayDeque<Numbered> recent;
  private final List<Consumer<Numbered>> watchers = new CopyOnWriteArrayList<>();
  private long seq;

  public EventFeed(int maxWatchers, int replay) {
    this.maxWatchers = maxWatchers;
    this.replay = replay;
    this.recent = new ArrayDeque<>(replay);
  }

  public void publish(HistoryEvent event) {
    Numbered numbered;
    synchronized (this) {
      numbered = new Numbered(++seq, event);
      if (recent.size() == replay) {
        recent.removeFirst();
      }
      recent.addLast(numbered);
      // Delivered under the lock: a watcher added meanwhile gets the entry either in its replay or here, once.
      for (Consumer<Numbered> watcher : watchers) {
        watcher.accept(numbered);
      }
    }
  }

  /**
   * Adds a watcher; it first gets the kept entries after {@code afterSeq} (-1: none), then every new one.
   * Returns the action that removes it, or null if there are already {@code maxWatchers}.
   */
  public synchronized Runnable watch(long afterSeq, Consumer<Numbered> watcher) {
    if (watchers.size() >= maxWatchers) {
      return null;
    }
    if (afterSeq >= 0) {
      for (Numbered n : new ArrayList<>(recent)) {
        if (n.seq() > afterSeq) {
          watcher.accept(n);
        }
      }
    }
    watchers.add(watcher);
    return () -> watchers.remove(watcher);
  }

  public int watchers() {
    return watchers.size();
  }
}
