package dev.smartgateway.cloudmock;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The parsed command line of {@link MockCloudMain}. Kept apart from {@code main} so parsing is testable
 * without a JVM exit.
 *
 * @param options what to run with
 * @param help    true when only the usage text was asked for
 */
record CommandLine(MockCloudOptions options, boolean help) {

  static final String USAGE = """
      Usage: java -jar cloud-mock.jar [options]

      A simulated cloud: a REST API to start and stop VMs, each VM a real HTTP server on 127.0.0.1.

        --host HOST          interface of the API (default 127.0.0.1)
        --port PORT          port of the API, 0 for an ephemeral one (default 9090)
        --boot-min-ms MS     shortest VM boot delay (default 0)
        --boot-max-ms MS     longest VM boot delay (default 10000)
        --seed N             seed of the boot delays and faults, to repeat a run (default random)
        --resources a,b,c    the only resource ids the cloud knows (default: any)
        --h2c-resources a,b  resources whose VMs speak h2c (HTTP/2 prior knowledge, beside HTTP/1.1)
                             and serve the gRPC service mock.Echo; '*' for all (default: none)
        --help               this text

      Values go after a space or an '=' (--port=9090).
      """;

  /** Thrown for a command line that cannot run; the message says what is wrong. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  static CommandLine parse(String... args) throws UsageException {
    MockCloudOptions defaults = MockCloudOptions.defaults();
    String host = defaults.host();
    int port = defaults.port();
    long bootMin = defaults.bootMinMs();
    long bootMax = defaults.bootMaxMs();
    Long seed = defaults.seed();
    Set<String> resources = defaults.resources();
    Set<String> h2cResources = defaults.h2cResources();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        name = arg.substring(0, equals);
        value = arg.substring(equals + 1);
      }
      if (name.equals("--help") || name.equals("-h")) {
        return new CommandLine(defaults, true);
      }
      if (value == null) {
        if (!isFlag(name)) {
          throw new UsageException("unknown option '" + arg + "'");
        }
        if (i + 1 >= args.length) {
          throw new UsageException(name + " needs a value");
        }
        value = args[++i];
      }
      switch (name) {
        case "--host" -> host = requireText(name, value);
        case "--port" -> port = (int) number(name, value, 0, 65_535);
        case "--boot-min-ms" -> bootMin = number(name, value, 0, MockCloudOptions.MAX_BOOT_MS);
        case "--boot-max-ms" -> bootMax = number(name, value, 0, MockCloudOptions.MAX_BOOT_MS);
        case "--seed" -> seed = number(name, value, Long.MIN_VALUE, Long.MAX_VALUE);
        case "--resources" -> resources = resources(name, value);
        case "--h2c-resources" -> h2cResources = resources(name, value);
        default -> throw new UsageException("unknown option '" + name + "'");
      }
    }
    if (bootMin > bootMax) {
      throw new UsageException("--boot-min-ms (" + bootMin + ") must not exceed --boot-max-ms ("
          + bootMax + ")");
    }
    return new CommandLine(new MockCloudOptions(host, port, bootMin, bootMax, seed, resources, h2cResources), false);
  }

  private static boolean isFlag(String name) {
    return Set.of("--host", "--port", "--boot-min-ms", "--boot-max-ms", "--seed", "--resources",
        "--h2c-resources")
        .contains(name);
  }

  private static String requireText(String name, String value) throws UsageException {
    if (value.isBlank()) {
      throw new UsageException(name + " must not be empty");
    }
    return value.trim();
  }

  private static long number(String name, String value, long min, long max) throws UsageException {
    long parsed;
    try {
      parsed = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new UsageException(name + " must be a whole number, was '" + value + "'");
    }
    if (parsed < min || parsed > max) {
      throw new UsageException(name + " must be within " + min + ".." + max + ", was " + parsed);
    }
    return parsed;
  }

  private static Set<String> resources(String name, String value) throws UsageException {
    Set<String> resources = new LinkedHashSet<>();
    Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(resources::add);
    if (resources.isEmpty()) {
      throw new UsageException(name + " needs at least one resource id (omit it for the default)");
    }
    return resources;
  }
}
