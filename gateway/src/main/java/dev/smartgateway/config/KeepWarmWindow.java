package dev.smartgateway.config;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Set;

/**
 * One keep-warm window ({@code keepWarm: [{days: Mon-Fri, from: "08:00", to: "18:00", zone: Europe/Warsaw,
 * instances: 1, lead: 1m}]}): on those days, between those times in that zone, the resource keeps at least
 * {@code instances} VMs running, started {@code lead} before the window opens so that the first caller finds
 * one ready. A window whose {@code to} is not after its {@code from} runs past midnight into the next day (it
 * belongs to the day it opens on). Local times follow the zone's daylight-saving rules: a time that does not
 * exist on a given day (the spring gap) moves forward by the gap.
 *
 * @param days      the days the window opens on
 * @param from      opening time, inclusive
 * @param to        closing time, exclusive ({@code 24:00} is midnight at the end of the day)
 * @param zone      the zone the times are in
 * @param instances VMs kept running through the window
 * @param lead      how long before the window opens they are started
 */
public record KeepWarmWindow(Set<DayOfWeek> days, LocalTime from, LocalTime to, ZoneId zone, int instances,
                             Duration lead) {

  public KeepWarmWindow {
    days = days.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(days));
  }

  private boolean overnight() {
    return !to.isAfter(from);
  }

  /** Whether {@code t} falls in the window. */
  public boolean covers(Instant t) {
    ZonedDateTime at = t.atZone(zone);
    LocalDate today = at.toLocalDate();
    // The window opened today, or (overnight) yesterday: compare real instants, which handles DST shifts.
    return openedOn(today, t) || overnight() && openedOn(today.minusDays(1), t);
  }

  private boolean openedOn(LocalDate day, Instant t) {
    if (!days.contains(day.getDayOfWeek())) {
      return false;
    }
    Instant opens = ZonedDateTime.of(day, from, zone).toInstant();
    Instant closes = ZonedDateTime.of(overnight() ? day.plusDays(1) : day, to, zone).toInstant();
    return !t.isBefore(opens) && t.isBefore(closes);
  }

  /** The first instant after {@code t} at which {@link #covers} may change (a window opening or closing); null if never. */
  public Instant nextChange(Instant t) {
    if (days.isEmpty()) {
      return null;
    }
    LocalDate day = t.atZone(zone).toLocalDate().minusDays(1);
    Instant best = null;
    // A week and two days cover every day of the week and an overnight window that closes the day after.
    for (int d = 0; d < 10; d++, day = day.plusDays(1)) {
      if (!days.contains(day.getDayOfWeek())) {
        continue;
      }
      Instant opens = ZonedDateTime.of(day, from, zone).toInstant();
      Instant closes = ZonedDateTime.of(overnight() ? day.plusDays(1) : day, to, zone).toInstant();
      for (Instant candidate : new Instant[] {opens, closes}) {
        if (candidate.isAfter(t) && (best == null || candidate.isBefore(best))) {
          best = candidate;
        }
      }
    }
    return best;
  }
}
