package dev.smartgateway.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code cluster:} ({@link ClusterConfig}); every mistake is recorded under its key. */
final class ClusterReader {

  private static final List<String> KEYS = List.of("enabled", "name", "host", "port", "members", "heartbeat",
      "failureTimeout", "activityReport");
  /** {@code host:port}, the host a name, an IPv4 address or a bracketed IPv6 literal. */
  private static final Pattern MEMBER = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9][A-Za-z0-9.-]*):(\\d{1,5})");
  /** Hazelcast counts heartbeats in whole seconds. */
  private static final Duration SECOND = Duration.ofSeconds(1);

  private ClusterReader() {
  }

  static ClusterConfig read(ConfigSection s) {
    s.allowOnly(KEYS);
    ClusterConfig d = ClusterConfig.defaults();
    String name = s.string("name", d.name());
    if (!GatewayIdentity.isValid(name)) {
      s.error("name", ConfigSection.quote(name) + " is not a cluster name (it is the instances' owner: "
          + GatewayIdentity.GRAMMAR + ")");
      name = d.name();
    }
    String host = s.string("host", d.host());
    if (host.isBlank()) {
      s.error("host", "must not be empty (the address this member binds and is reached at)");
      host = d.host();
    }
    Duration heartbeat = wholeSeconds(s, "heartbeat", d.heartbeat());
    Duration failureTimeout = wholeSeconds(s, "failureTimeout", d.failureTimeout());
    if (failureTimeout.compareTo(heartbeat) <= 0) {
      s.error("failureTimeout", "must be longer than heartbeat (" + Durations.format(heartbeat) + ")");
      failureTimeout = heartbeat.plus(d.failureTimeout());
    }
    Duration activity = s.positiveDuration("activityReport", d.activityReport());
    if (activity.compareTo(Duration.ofMinutes(1)) > 0) {
      s.error("activityReport", Durations.format(activity) + " is too long (at most 1m: the idle clocks of instances"
          + " other members use count it)");
      activity = d.activityReport();
    }
    return new ClusterConfig(s.bool("enabled", d.enabled()), name, host, s.integer("port", d.port(), 0, 65535),
        members(s), heartbeat, failureTimeout, activity);
  }

  private static List<String> members(ConfigSection s) {
    List<String> listed = s.stringList("members", List.of());
    List<String> members = new ArrayList<>();
    for (int i = 0; i < listed.size(); i++) {
      String member = listed.get(i).trim();
      Matcher m = MEMBER.matcher(member);
      if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65535) {
        s.errorAt(s.key("members") + "[" + i + "]", ConfigSection.quote(member) + " is not host:port (e.g. 10.0.0.5:5701)");
      } else {
        members.add(member);
      }
    }
    return members;
  }

  private static Duration wholeSeconds(ConfigSection s, String name, Duration fallback) {
    Duration value = s.positiveDuration(name, fallback);
    if (value.compareTo(SECOND) < 0 || value.toMillis() % 1000 != 0) {
      s.error(name, Durations.format(value) + " is not a whole number of seconds (Hazelcast counts in seconds)");
      return fallback;
    }
    return value;
  }
}
