package dev.smartgateway.config;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads {@code keepWarm}: a list of {@link KeepWarmWindow}s. Days are names or ranges of three-letter English
 * day names separated by commas ({@code Mon-Fri}, {@code Sat,Sun}, {@code Fri-Mon}, {@code daily}); times are
 * {@code HH:mm} (with {@code 24:00} for the end of the day); the zone is an IANA name ({@code Europe/Warsaw}),
 * default UTC. Every mistake names its key ({@code defaults.keepWarm[1].from}).
 */
final class KeepWarmReader {

  private static final List<String> KEYS = List.of("days", "from", "to", "zone", "instances", "lead");
  private static final Duration DEFAULT_LEAD = Duration.ofMinutes(1);

  private KeepWarmReader() {
  }

  static List<KeepWarmWindow> read(ConfigSection s, String name, List<KeepWarmWindow> base) {
    List<ConfigSection> items = s.sectionList(name);
    if (items == null) {
      return base;
    }
    List<KeepWarmWindow> windows = new ArrayList<>();
    for (ConfigSection item : items) {
      KeepWarmWindow window = window(item);
      if (window != null) {
        windows.add(window);
      }
    }
    return List.copyOf(windows);
  }

  private static KeepWarmWindow window(ConfigSection w) {
    if (!w.isMap()) {
      return null;
    }
    w.allowOnly(KEYS);
    Set<DayOfWeek> days = w.parsed("days", null, KeepWarmReader::days, "days such as Mon-Fri, Sat,Sun or daily");
    LocalTime from = w.parsed("from", null, KeepWarmReader::time, "a time of day such as 08:00");
    LocalTime to = w.parsed("to", null, KeepWarmReader::time, "a time of day such as 18:00 (24:00: midnight)");
    ZoneId zone = w.parsed("zone", ZoneId.of("UTC"), KeepWarmReader::zone, "a time zone such as Europe/Warsaw");
    int instances = w.integer("instances", 1, 1, 100_000);
    Duration lead = w.duration("lead", DEFAULT_LEAD);
    for (String required : List.of("days", "from", "to")) {
      if (!w.has(required)) {
        w.error(required, "required in a keepWarm window");
      }
    }
    if (days == null || from == null || to == null) {
      return null;
    }
    if (from.equals(to) && !(from.equals(LocalTime.MIDNIGHT))) {
      w.error("to", "equals from: the window would be empty (use from: \"00:00\", to: \"24:00\" for whole days)");
      return null;
    }
    return new KeepWarmWindow(days, from, to, zone, instances, lead);
  }

  static Set<DayOfWeek> days(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("daily") || t.equals("*")) {
      return EnumSet.allOf(DayOfWeek.class);
    }
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String part : t.split(",")) {
      String[] range = part.trim().split("-", -1);
      if (range.length == 1) {
        days.add(day(range[0]));
      } else if (range.length == 2) {
        DayOfWeek d = day(range[0]);
        DayOfWeek last = day(range[1]);
        days.add(d);
        while (d != last) { // a range may wrap: Fri-Mon
          d = d.plus(1);
          days.add(d);
        }
      } else {
        throw new IllegalArgumentException(ConfigSection.quote(text) + " is not a list of days");
      }
    }
    return days;
  }

  /** The days as the reader takes them back: {@code daily}, or names joined by commas ({@code Mon,Tue,Wed}). */
  static String formatDays(Set<DayOfWeek> days) {
    if (days.size() == 7) {
      return "daily";
    }
    StringBuilder out = new StringBuilder();
    for (DayOfWeek d : EnumSet.copyOf(days)) {
      if (out.length() > 0) {
        out.append(',');
      }
      String name = d.name();
      out.append(name.charAt(0)).append(name.substring(1, 3).toLowerCase(Locale.ROOT));
    }
    return out.toString();
  }

  private static DayOfWeek day(String name) {
    String n = name.trim();
    for (DayOfWeek d : DayOfWeek.values()) {
      if (n.length() >= 3 && d.name().toLowerCase(Locale.ROOT).startsWith(n)) {
        return d;
      }
    }
    throw new IllegalArgumentException(ConfigSection.quote(name) + " is not a day (Mon, Tue, Wed, Thu, Fri, Sat, Sun)");
  }

  static LocalTime time(String text) {
    if (text.trim().equals("24:00")) {
      return LocalTime.MIDNIGHT;
    }
    try {
      return LocalTime.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(ConfigSection.quote(text) + " is not a time of day (HH:mm)");
    }
  }

  private static ZoneId zone(String text) {
    try {
      return ZoneId.of(text.trim());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(ConfigSection.quote(text) + " is not a time zone (e.g. Europe/Warsaw, UTC)");
    }
  }
}
