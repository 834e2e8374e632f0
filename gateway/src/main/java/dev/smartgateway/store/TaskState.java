package dev.smartgateway.store;

import java.util.Locale;

/** Where a task is in its life; the first two are open, the other three final. */
public enum TaskState {
  PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED;

  public boolean isFinal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }

  /** As the API and the store write it: {@code pending}, {@code running}, ... */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The state with this label, or null. */
  public static TaskState ofLabel(String label) {
    for (TaskState state : values()) {
      if (state.label().equals(label)) {
        return state;
      }
    }
    return null;
  }
}
