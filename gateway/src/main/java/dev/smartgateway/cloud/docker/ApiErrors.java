package dev.smartgateway.cloud.docker;

import dev.smartgateway.cloud.CloudException;

import java.util.Locale;

/**
 * What the daemon's error answers mean for the gateway, call by call: the same 404 is "no such image" (will not
 * get better: PERMANENT) on create and "the container is gone" (INSTANCE_NOT_FOUND, or success for a stop) on
 * others. The daemon's own message is kept in every exception: it is what an operator needs to read.
 */
final class ApiErrors {

  private ApiErrors() {
  }

  /** Create answered something else than 201; a 409 (name taken) is the caller's to handle before this. */
  static CloudException create(ContainerSpec spec, DockerEndpoint endpoint, DockerApi.Response resp) {
    String message = resp.message();
    if (resp.status() == 404 && message.toLowerCase(Locale.ROOT).contains("image")) {
      return new CloudException(CloudException.Kind.PERMANENT, "image '" + spec.image() + "' of resource '"
          + spec.resource() + "' is not on the Docker daemon at " + endpoint
          + " (the docker adapter never pulls images: build or load it there; the daemon said: " + message + ")");
    }
    if (resp.status() == 404 || resp.status() == 400) {
      // a network that does not exist, a malformed setting: the configuration must change
      return new CloudException(CloudException.Kind.PERMANENT,
          "cannot create a container of resource '" + spec.resource() + "': " + message);
    }
    return unexpected("create a container of resource '" + spec.resource() + "'", resp);
  }

  /** Start answered something else than 204 or 304. */
  static CloudException start(ContainerSpec spec, String name, DockerApi.Response resp) {
    String message = resp.message();
    String what = "cannot start container " + name + " of resource '" + spec.resource() + "': " + message;
    if (resp.status() == 404) {
      return new CloudException(CloudException.Kind.PERMANENT, what + " (it was removed before it started)");
    }
    if (resp.status() >= 400 && resp.status() < 500 || runtimeRefusal(message)) {
      // The runtime could not run the configured command (no such program, bad mount): retrying changes nothing.
      return new CloudException(CloudException.Kind.PERMANENT, what);
    }
    return unexpected("start container " + name, resp);
  }

  /** Inspect answered something else than 200. */
  static CloudException inspect(String name, DockerApi.Response resp) {
    if (resp.status() == 404) {
      return new CloudException(CloudException.Kind.INSTANCE_NOT_FOUND, "no container " + name);
    }
    return unexpected("inspect container " + name, resp);
  }

  /**
   * Any call answered with a status it does not expect: 5xx (the daemon failed), 429 and 408 are worth retrying;
   * other 4xx will not get better.
   */
  static CloudException unexpected(String what, DockerApi.Response resp) {
    int status = resp.status();
    String detail = what + ": the Docker daemon answered " + status + " " + resp.message();
    if (status >= 500 || status == 429 || status == 408) {
      return new CloudException(CloudException.Kind.TRANSIENT, detail);
    }
    return new CloudException(CloudException.Kind.PERMANENT, detail);
  }

  /** The daemon answers 500 when the OCI runtime refuses the container: that is about the container, not the daemon. */
  private static boolean runtimeRefusal(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    return m.contains("oci runtime") || m.contains("executable file not found") || m.contains("no such file or directory");
  }
}
