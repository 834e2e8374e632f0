package dev.smartgateway;

import dev.smartgateway.config.ConfigException;
import dev.smartgateway.config.ConfigLoader;
import dev.smartgateway.config.ConfigOrigins;
import dev.smartgateway.config.ConfigOverrides;
import dev.smartgateway.config.GatewayConfig;
import dev.smartgateway.cluster.ClusterVertx;
import dev.smartgateway.lifecycle.Coordination;
import dev.smartgateway.observe.metrics.MetricsVertx;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar smart-gateway.jar [--config FILE] [--set KEY=VALUE]...}: runs a gateway until SIGTERM.
 * Exit status 0 after {@code --help} and {@code --version}; 2 for what the operator can fix (bad arguments,
 * configuration problems, the port in use, an unknown provider type), printed as one line per problem without
 * a stack trace; 1 for anything unexpected, with its stack trace. A running gateway stopped by a signal ends
 * the JVM's way (143 for SIGTERM) after its graceful shutdown.
 */
@Command(name = "smart-gateway",
    customSynopsis = "java -jar smart-gateway.jar [--config FILE] [--set KEY=VALUE]... [--help] [--version]",
    mixinStandardHelpOptions = true,
    versionProvider = GatewayMain.Version.class,
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
        "%nRuns the Smart Gateway until it is stopped (SIGTERM or Ctrl-C: held requests get 503, in-flight"
            + " ones finish). Virtual URLs: http://HOST:PORT/smart_proxy/{resource}/{groups}/{path...}."
            + " Every setting: README.md and config/gateway.yaml.%n"},
    footerHeading = "%nEnvironment:%n",
    footer = {
        "  SMART_GATEWAY_<KEY_PATH>  sets a configuration key like --set does (file < environment < --set).",
        "      The name is the key path in upper case, with _ between its segments and between the words",
        "      of a camelCase key:",
        "        SMART_GATEWAY_SERVER_PORT=9000 (server.port)",
        "        SMART_GATEWAY_DEFAULTS_IDLE_TIMEOUT=30m (defaults.idleTimeout)",
        "        SMART_GATEWAY_RESOURCES_DEMO_MAX_WAITING=50 (resources.demo.maxWaiting)",
        "      Keys under resources and provider sections: those the file has (others: --set). Empty",
        "      values are ignored; a SMART_GATEWAY_ variable that names no key is an error.",
        "  SMART_GATEWAY_LOG         level of the operational log on stderr (default INFO); not a key",
        "  SMART_GATEWAY_ACCESS_LOG  level of the JSON access log on stdout, OFF turns it off (default",
        "                            INFO); not a key",
        "",
        "Exit status:",
        "  0  --help, --version",
        "  1  an unexpected failure (printed with its stack trace)",
        "  2  bad arguments; configuration problems (one line each, naming the key and where it was",
        "     set); the listening address already in use; an unknown provider type",
        "  A running gateway stopped by SIGTERM or Ctrl-C ends with 143 / 130 after a graceful shutdown."})
public final class GatewayMain implements Callable<Integer> {

  static final int FAILED = 1;
  static final int REFUSED = 2;
  /** The demo configuration shipped in the jar (a copy of config/gateway.yaml), used when no file is found. */
  static final String BUILT_IN = "/META-INF/smart-gateway/gateway.yaml";
  static final String BUILT_IN_SOURCE = "built-in configuration";

  private static final Logger log = LoggerFactory.getLogger(GatewayMain.class);

  @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "the configuration (YAML). Default:"
      + " config/gateway.yaml of the checkout the jar was built in (in its gateway/target/), else the built-in"
      + " demo (the embedded mock cloud, a 'demo' resource, 127.0.0.1:8080). The working directory does not"
      + " matter.")
  private Path config;

  @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "sets one configuration key over"
      + " the file and the environment, e.g. --set server.port=9000 or --set 'defaults.allowedGroups=[a, b]'."
      + " VALUE is YAML: a scalar or a flow collection; a map replaces the key's whole map; empty means the"
      + " key's default. Repeatable; the later one wins.")
  private List<String> sets = new ArrayList<>();

  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  private final Map<String, String> environment;
  private final Path codeLocation;

  GatewayMain(Map<String, String> environment, Path codeLocation) {
    this.environment = environment;
    this.codeLocation = codeLocation;
  }

  public static void main(String[] args) {
    int status = run(args, System.getenv(), codeLocation(), new PrintWriter(System.out, true),
        new PrintWriter(System.err, true));
    if (status != 0) {
      System.exit(status);
    }
    // 0: --help or --version (nothing else runs, the JVM ends), or a gateway that runs until it is stopped.
  }

  /** Parses the arguments and runs; returns the exit status (0 while a started gateway keeps running). */
  static int run(String[] args, Map<String, String> environment, Path codeLocation, PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new GatewayMain(environment, codeLocation));
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setParameterExceptionHandler((e, arguments) -> {
      e.getCommandLine().getErr().println("smart-gateway: " + e.getMessage() + " (see --help)");
      return REFUSED;
    });
    commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("smart-gateway: unexpected failure: " + e);
      e.printStackTrace(cmd.getErr());
      return FAILED;
    });
    return commandLine.execute(args);
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    ConfigLoader.Loaded loaded;
    String described;
    try {
      ConfigOverrides overrides = ConfigOverrides.of(sets, environment);
      if (config != null) {
        loaded = ConfigLoader.load(config, overrides);
        described = config.toString();
      } else {
        Path found = checkoutConfig(codeLocation);
        if (found != null) {
          loaded = ConfigLoader.load(found, overrides);
          described = found + " (the checkout's, found from the jar's location)";
        } else {
          loaded = ConfigLoader.parse(builtIn(), BUILT_IN_SOURCE, overrides);
          described = "built-in (the embedded mock cloud and a demo resource; no --config, and no"
              + " config/gateway.yaml in a checkout around the jar)";
        }
      }
      if (!overrides.isEmpty()) {
        described += "; overridden by " + String.join(", ", overrides.describe());
      }
    } catch (ConfigException e) {
      report(err, e);
      return REFUSED;
    }
    log.info("configuration: {}", described);
    return start(loaded.config(), loaded.origins(), err);
  }

  /** Starts the gateway; on failure says why and returns the exit status, otherwise 0 with the gateway running. */
  private static int start(GatewayConfig config, ConfigOrigins origins, PrintWriter err) {
    // Vert.x's own metrics (HTTP server and client) can only be switched on as it is created; so can clustering.
    MetricsVertx.Prepared created = MetricsVertx.prepare(config.metrics(), config.cluster().enabled()
        ? ClusterVertx.options(new VertxOptions(), config.cluster()) : new VertxOptions());
    Vertx vertx;
    Coordination coordination = Coordination.NONE;
    if (config.cluster().enabled()) {
      try {
        // Start-up may wait: nothing else runs yet.
        ClusterVertx.Joined joined = ClusterVertx.join(created.builder(), config.cluster()).toCompletionStage()
            .toCompletableFuture().get();
        vertx = joined.vertx();
        coordination = joined.coordination();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return FAILED;
      } catch (ExecutionException e) {
        err.println("smart-gateway: cannot join the cluster at " + address(config.cluster().host(),
            config.cluster().port()) + " (cluster.host, cluster.port, cluster.members): " + e.getCause());
        return REFUSED;
      }
    } else {
      vertx = created.builder().build();
    }
    Coordination cluster = coordination;
    // The hook is in place before the listeners open: a SIGTERM that comes as soon as "listening" is logged (a
    // supervisor, a test) still stops the gateway gracefully, once its start has finished.
    CompletableFuture<Gateway> started = new CompletableFuture<>();
    Thread hook = new Thread(() -> stopGracefully(started, vertx, config), "smart-gateway-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      // Start-up is the one place where the main thread may wait: nothing else runs yet.
      started.complete(Gateway.start(vertx, config, created.registry(), System::getenv, cluster).toCompletionStage()
          .toCompletableFuture().get());
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      started.cancel(false);
      return FAILED;
    } catch (ExecutionException e) {
      started.cancel(false);
      // Vert.x is not closed: a failed start has closed what it opened (lifecycle, providers), the JVM exits
      // next, and closing would only add Vert.x's own error log about the half-deployed listener.
      return reportStartFailure(err, e.getCause() != null ? e.getCause() : e, config, origins);
    }
  }

  /**
   * The shutdown hook: waits for a start in progress, then closes the gateway and Vert.x, each awaited here. A
   * callback chained after vertx.close() would be handed to an event loop that close() just terminated and never
   * run; vertx.close() called from this (non-Vert.x) thread completes on it.
   */
  private static void stopGracefully(CompletableFuture<Gateway> started, Vertx vertx, GatewayConfig config) {
    Gateway gateway;
    try {
      gateway = started.get(60, TimeUnit.SECONDS);
    } catch (Exception notStarted) {
      return; // a failed start closed what it opened
    }
    log.info("shutting down");
    CountDownLatch gatewayClosed = new CountDownLatch(1);
    gateway.close().onComplete(ar -> gatewayClosed.countDown());
    CountDownLatch vertxClosed = new CountDownLatch(1);
    try {
      gatewayClosed.await(config.server().shutdownGrace().toSeconds() + 10, TimeUnit.SECONDS);
      vertx.close().onComplete(ar -> vertxClosed.countDown());
      vertxClosed.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException ignored) {
      Thread.currentThread().interrupt();
    }
  }

  static int reportStartFailure(PrintWriter err, Throwable cause, GatewayConfig config, ConfigOrigins origins) {
    if (cause instanceof ConfigException problems) {
      report(err, origins.attribute(problems));
      return REFUSED;
    }
    BindException bind = find(cause, BindException.class);
    String address = address(config.server().host(), config.server().port());
    if (bind != null || String.valueOf(cause.getMessage()).contains("Address already in use")) {
      String why = bind != null ? String.valueOf(bind.getMessage()) : String.valueOf(cause.getMessage());
      err.println("smart-gateway: cannot listen: " + (why.contains("already in use")
          ? address + " is already in use (server.host, server.port)"
          : address + ": " + why + " (server.host, server.port)"));
      return REFUSED;
    }
    err.println("smart-gateway: could not start: " + cause);
    cause.printStackTrace(err);
    return FAILED;
  }

  private static void report(PrintWriter err, ConfigException problems) {
    problems.problems().forEach(p -> err.println("smart-gateway: invalid configuration: " + p.getMessage()));
  }

  /** {@code host:port}, with an IPv6 literal in brackets. */
  static String address(String host, int port) {
    return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /**
   * {@code <checkout>/config/gateway.yaml} when the gateway's classes come from {@code <checkout>/gateway/target/}
   * (the fat jar {@code smart-gateway.jar}, or {@code classes/} in a development run) and the file exists;
   * otherwise null.
   */
  static Path checkoutConfig(Path codeLocation) {
    if (codeLocation == null) {
      return null;
    }
    Path target = codeLocation.toAbsolutePath().normalize().getParent();
    if (target == null || target.getParent() == null || target.getParent().getParent() == null
        || !target.getFileName().toString().equals("target")
        || !target.getParent().getFileName().toString().equals("gateway")) {
      return null;
    }
    Path file = target.getParent().getParent().resolve("config").resolve("gateway.yaml");
    return Files.isRegularFile(file) ? file : null;
  }

  /** Where GatewayMain's classes were loaded from (the jar, or a classes directory); null if unknown. */
  static Path codeLocation() {
    try {
      return Path.of(GatewayMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (Exception | Error e) {
      return null;
    }
  }

  static String builtIn() {
    try (InputStream in = GatewayMain.class.getResourceAsStream(BUILT_IN)) {
      if (in == null) {
        throw new IllegalStateException(BUILT_IN + " is missing from the classpath (a broken build)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + BUILT_IN, e);
    }
  }

  /** {@code --version}: the jar's version (from its manifest), Vert.x's and the JVM's. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String own = GatewayMain.class.getPackage().getImplementationVersion();
      return new String[] {
          "smart-gateway " + (own != null ? own : "(development build, not from the jar)"),
          "Vert.x " + vertxVersion() + ", Java " + System.getProperty("java.version") + " ("
              + System.getProperty("java.vm.name") + ")"};
    }

    private static String vertxVersion() {
      try (InputStream in = Vertx.class.getResourceAsStream("/META-INF/vertx/vertx-version.txt")) {
        return in == null ? "(unknown)" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        return "(unknown)";
      }
    }
  }
}
