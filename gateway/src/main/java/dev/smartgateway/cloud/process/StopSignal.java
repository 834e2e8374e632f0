package dev.smartgateway.cloud.process;

import java.util.Locale;

/** The signal {@code stop} sends first; KILL follows after {@code stopTimeout} whatever it was. */
enum StopSignal {
  TERM, INT, KILL, HUP;

  /** Accepts {@code TERM}, {@code term} and {@code SIGTERM}. */
  static StopSignal parse(String text) {
    String name = text.trim().toUpperCase(Locale.ROOT);
    if (name.startsWith("SIG")) {
      name = name.substring(3);
    }
    try {
      return valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("expected one of TERM, INT, KILL, HUP, got '" + text + "'");
    }
  }
}
