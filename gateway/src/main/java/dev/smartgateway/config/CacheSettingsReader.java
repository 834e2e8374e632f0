package dev.smartgateway.config;

import java.util.List;

/**
 * Reads {@code cache:} of {@code defaults} or {@code resources.<id>}, merged key by key over the base's (a resource
 * can turn the cache on and keep the defaults' bounds). Every problem names its key.
 */
final class CacheSettingsReader {

  static final List<String> KEYS = List.of("enabled", "defaultTtl", "maxBytes", "maxEntryBytes");

  private CacheSettingsReader() {
  }

  static CacheSettings read(ConfigSection s, CacheSettings base) {
    s.allowOnly(KEYS);
    long maxBytes = s.size("maxBytes", base.maxBytes(), CacheSettings.MAX_BYTES);
    long maxEntryBytes = s.size("maxEntryBytes", base.maxEntryBytes(), CacheSettings.MAX_ENTRY_BYTES);
    if (maxEntryBytes > maxBytes) {
      s.error("maxEntryBytes", maxEntryBytes + " bytes is more than the whole cache (maxBytes: " + maxBytes + " bytes)");
      maxEntryBytes = Math.min(base.maxEntryBytes(), maxBytes);
    }
    return new CacheSettings(s.bool("enabled", base.enabled()), s.duration("defaultTtl", base.defaultTtl()), maxBytes,
        maxEntryBytes);
  }
}
