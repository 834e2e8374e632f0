package dev.smartgateway.cloud.docker;

import dev.smartgateway.cloud.CloudException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Engine API version the adapter speaks with one daemon, as Docker's own clients negotiate it: the daemon's
 * newest version, capped at the newest the adapter knows. Every call and field the adapter uses exists unchanged
 * from {@link #OLDEST} (health checks in inspect, {@code NanoCpus}, JSON filters) to {@link #NEWEST}.
 *
 * @param major e.g. 1
 * @param minor e.g. 41
 */
record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {

  private static final Logger LOG = LoggerFactory.getLogger(ApiVersion.class);
  static final ApiVersion OLDEST = new ApiVersion(1, 25);
  static final ApiVersion NEWEST = new ApiVersion(1, 47);

  /**
   * @param version the daemon's answer to {@code GET /version}
   * @throws CloudException PERMANENT for a daemon older than {@link #OLDEST} or an answer without a version
   */
  static ApiVersion negotiate(JsonObject version, DockerEndpoint endpoint) {
    ApiVersion daemon = parse(version.getString("ApiVersion"), endpoint);
    if (daemon.compareTo(OLDEST) < 0) {
      throw new CloudException(CloudException.Kind.PERMANENT, "the Docker daemon at " + endpoint + " speaks API "
          + daemon + "; the docker adapter needs " + OLDEST + " or newer");
    }
    ApiVersion chosen = daemon.compareTo(NEWEST) > 0 ? NEWEST : daemon;
    String oldestAccepted = version.getString("MinAPIVersion");
    if (oldestAccepted != null) {
      ApiVersion floor = parse(oldestAccepted, endpoint);
      if (floor.compareTo(chosen) > 0) {
        // A daemon that no longer accepts the newest version we know: its oldest is the closest to what we know.
        LOG.warn("the Docker daemon at {} accepts API {} and newer only; the docker adapter knows up to {} and uses {}",
            endpoint, floor, NEWEST, floor);
        chosen = floor;
      }
    }
    LOG.info("Docker daemon at {}: {} {}, API {} (using {})", endpoint, version.getString("Version", "?"),
        version.getString("Os", ""), daemon, chosen);
    return chosen;
  }

  static ApiVersion parse(String text, DockerEndpoint endpoint) {
    if (text != null) {
      String[] parts = text.trim().split("\\.");
      if (parts.length == 2) {
        try {
          return new ApiVersion(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        } catch (NumberFormatException ignored) {
          // reported below
        }
      }
    }
    throw new CloudException(CloudException.Kind.PERMANENT,
        "the Docker API at " + endpoint + " reports no usable version ('" + text + "'): is it a Docker daemon?");
  }

  /** The path prefix of every versioned call, e.g. {@code /v1.41}. */
  String prefix() {
    return "/v" + this;
  }

  @Override
  public int compareTo(ApiVersion other) {
    return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
