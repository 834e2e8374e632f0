package dev.smartgateway.config;

import dev.smartgateway.config.ResourceSettings.Balancing;
import dev.smartgateway.config.ResourceSettings.IdlePolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;

import static dev.smartgateway.config.ConfigTexts.failure;
import static dev.smartgateway.config.ConfigTexts.parse;
import static org.assertj.core.api.Assertions.assertThat;

/** The traffic keys of DESIGN §7a: minInstances, targetConcurrency, maxConcurrency, scaleDownDelay, balancing, keepWarm, idlePolicy. */
class TrafficKeysConfigTest {

  @Test
  void defaults() {
    ResourceSettings d = parse("").defaults();

    assertThat(d.minInstances()).isZero();
    assertThat(d.targetConcurrency()).isEqualTo(100);
    assertThat(d.maxConcurrency()).as("no limit").isZero();
    assertThat(d.scaleDownDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.balancing()).isEqualTo(Balancing.LEAST_OUTSTANDING);
    assertThat(d.keepWarm()).isEmpty();
    assertThat(d.idlePolicy()).isEqualTo(IdlePolicy.STOP);
  }

  @Test
  void aResourceOverridesEachKey() {
    ResourceSettings r = parse("""
        resources:
          app:
            minInstances: 1
            targetConcurrency: 10
            maxConcurrency: 4
            scaleDownDelay: 2m
            balancing: round-robin
            idlePolicy: suspend
            keepWarm: [{days: Mon-Fri, from: "08:00", to: "18:00", zone: Europe/Warsaw, instances: 2, lead: 5m}]
        """).resources().get("app");

    assertThat(r.minInstances()).isEqualTo(1);
    assertThat(r.targetConcurrency()).isEqualTo(10);
    assertThat(r.maxConcurrency()).isEqualTo(4);
    assertThat(r.growthConcurrency()).as("a pool grows at most at the VMs' limit").isEqualTo(4);
    assertThat(r.scaleDownDelay()).isEqualTo(Duration.ofMinutes(2));
    assertThat(r.balancing()).isEqualTo(Balancing.ROUND_ROBIN);
    assertThat(r.idlePolicy()).isEqualTo(IdlePolicy.SUSPEND);
    assertThat(r.keepWarm()).containsExactly(new KeepWarmWindow(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
        LocalTime.of(8, 0), LocalTime.of(18, 0), ZoneId.of("Europe/Warsaw"), 2, Duration.ofMinutes(5)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      defaults: {balancing: random}                                     | defaults.balancing         | not a balancing
      defaults: {idlePolicy: hibernate}                                 | defaults.idlePolicy        | not an idle policy
      defaults: {minInstances: -1}                                      | defaults.minInstances      | 0
      defaults: {targetConcurrency: 0}                                  | defaults.targetConcurrency | 1
      defaults: {maxConcurrency: -1}                                    | defaults.maxConcurrency    | 0
      defaults: {minInstances: 5, maxInstances: 4}                      | defaults.minInstances      | more than maxInstances
      defaults: {keepWarm: [{days: Mon-Fri, from: "08:00"}]}            | defaults.keepWarm[0].to    | required
      defaults: {keepWarm: [{days: Funday, from: "08:00", to: "09:00"}]} | defaults.keepWarm[0].days  | not a day
      defaults: {keepWarm: [{days: Mon, from: "8 am", to: "09:00"}]}    | defaults.keepWarm[0].from  | not a time of day
      defaults: {keepWarm: [{days: Mon, from: "08:00", to: "09:00", zone: Mars/Olympus}]} | defaults.keepWarm[0].zone | not a time zone
      defaults: {keepWarm: [{days: Mon, from: "08:00", to: "08:00"}]}   | defaults.keepWarm[0].to    | empty
      defaults: {keepWarm: [{days: Mon, from: "08:00", to: "09:00", instances: 9}]} | defaults.keepWarm[0].instances | more than maxInstances
      defaults: {keepWarm: [{days: Mon, from: "08:00", to: "09:00", size: 1}]} | defaults.keepWarm[0].size | unknown key
      defaults: {keepWarm: {days: Mon}}                                 | defaults.keepWarm          | expected a list
      """)
  void mistakesNameTheirKey(String yaml, String key, String reason) {
    ConfigException e = failure(yaml);
    assertThat(e.problems()).anySatisfy(p -> {
      assertThat(p.key()).isEqualTo(key);
      assertThat(p.reason()).contains(reason);
    });
  }

  @Test
  void dayListsAndRanges() {
    assertThat(KeepWarmReader.days("Mon-Fri")).isEqualTo(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
    assertThat(KeepWarmReader.days("Sat,Sun")).isEqualTo(EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY));
    assertThat(KeepWarmReader.days("Fri-Mon")).as("a range may wrap")
        .isEqualTo(EnumSet.of(DayOfWeek.FRIDAY, DayOfWeek.SATURDAY, DayOfWeek.SUNDAY, DayOfWeek.MONDAY));
    assertThat(KeepWarmReader.days("daily")).hasSize(7);
    assertThat(KeepWarmReader.formatDays(KeepWarmReader.days("Mon-Wed,Sun"))).isEqualTo("Mon,Tue,Wed,Sun");
  }

  private static KeepWarmWindow window(String days, String from, String to, String zone) {
    return new KeepWarmWindow(KeepWarmReader.days(days), KeepWarmReader.time(from), KeepWarmReader.time(to),
        ZoneId.of(zone), 1, Duration.ofMinutes(1));
  }

  @Test
  void aWindowCoversItsDaysBetweenItsTimesInItsZone() {
    KeepWarmWindow office = window("Mon-Fri", "08:00", "18:00", "Europe/Warsaw");

    // 2026-12-01 is a Tuesday; Warsaw is UTC+1 in winter.
    assertThat(office.covers(Instant.parse("2026-12-01T06:59:59Z"))).isFalse();
    assertThat(office.covers(Instant.parse("2026-12-01T07:00:00Z"))).isTrue();
    assertThat(office.covers(Instant.parse("2026-12-01T16:59:59Z"))).isTrue();
    assertThat(office.covers(Instant.parse("2026-12-01T17:00:00Z"))).isFalse();
    assertThat(office.covers(Instant.parse("2026-12-05T10:00:00Z"))).as("Saturday").isFalse();
    assertThat(office.nextChange(Instant.parse("2026-12-01T12:00:00Z"))).isEqualTo(Instant.parse("2026-12-01T17:00:00Z"));
    assertThat(office.nextChange(Instant.parse("2026-12-04T18:00:00Z"))).as("Friday evening: Monday morning")
        .isEqualTo(Instant.parse("2026-12-07T07:00:00Z"));
  }

  @Test
  void aWindowPastMidnightBelongsToTheDayItOpens() {
    KeepWarmWindow night = window("Fri", "22:00", "02:00", "UTC");

    assertThat(night.covers(Instant.parse("2026-12-04T23:00:00Z"))).isTrue();
    assertThat(night.covers(Instant.parse("2026-12-05T01:59:00Z"))).as("Saturday early: Friday's window").isTrue();
    assertThat(night.covers(Instant.parse("2026-12-05T23:00:00Z"))).as("Saturday night").isFalse();
    assertThat(night.covers(Instant.parse("2026-12-04T01:00:00Z"))).as("Friday early: Thursday's, none").isFalse();
  }

  @Test
  void wholeDaysAndDaylightSavingTime() {
    KeepWarmWindow sunday = window("Sun", "00:00", "24:00", "Europe/Warsaw");
    // 2026-03-29: clocks go from 02:00 to 03:00 in Warsaw; the day is 23 hours long.
    assertThat(sunday.covers(Instant.parse("2026-03-28T23:00:00Z"))).isTrue();
    assertThat(sunday.covers(Instant.parse("2026-03-29T21:59:00Z"))).isTrue();
    assertThat(sunday.covers(Instant.parse("2026-03-29T22:00:00Z"))).isFalse();
    KeepWarmWindow early = window("Sun", "02:30", "04:00", "Europe/Warsaw");
    // 02:30 does not exist that night: it moves forward by the gap, to 03:30 CEST (01:30Z).
    assertThat(early.covers(Instant.parse("2026-03-29T01:29:00Z"))).isFalse();
    assertThat(early.covers(Instant.parse("2026-03-29T01:30:00Z"))).isTrue();
  }

  @Test
  void theFloorIsMinInstancesOrMoreWithinAWindowAndItsLead() {
    ResourceSettings r = parse("""
        defaults:
          minInstances: 1
          keepWarm: [{days: daily, from: "08:00", to: "18:00", zone: UTC, instances: 3, lead: 10m}]
        """).defaults();

    assertThat(r.floorAt(Instant.parse("2026-12-01T07:49:00Z").toEpochMilli())).isEqualTo(1);
    assertThat(r.floorAt(Instant.parse("2026-12-01T07:50:00Z").toEpochMilli())).isEqualTo(3);
    assertThat(r.floorAt(Instant.parse("2026-12-01T17:59:00Z").toEpochMilli())).isEqualTo(3);
    assertThat(r.floorAt(Instant.parse("2026-12-01T18:00:00Z").toEpochMilli())).isEqualTo(1);
    assertThat(Set.copyOf(r.keepWarm())).hasSize(1);
  }
}
