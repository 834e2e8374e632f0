package dev.smartgateway.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --key value} pairs; every value is required unless a default is given. */
final class Args {
  private final Map<String, String> values = new HashMap<>();

  Args(String[] args, int from) {
    for (int i = from; i < args.length; i++) {
      String key = args[i];
      if (!key.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --key value, got " + key);
      }
      values.put(key.substring(2), args[++i]);
    }
  }

  String str(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing --" + key);
    }
    return v;
  }

  String str(String key, String dflt) {
    return values.getOrDefault(key, dflt);
  }

  int integer(String key) {
    return Integer.parseInt(str(key));
  }

  int integer(String key, int dflt) {
    return values.containsKey(key) ? integer(key) : dflt;
  }

  long pid(String key) {
    return Long.parseLong(str(key));
  }
}
