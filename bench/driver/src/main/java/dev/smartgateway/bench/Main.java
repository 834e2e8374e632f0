package dev.smartgateway.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;

/**
 * Entry point of the benchmark driver; {@code bench/run} calls it. Commands:
 * <ul>
 *   <li>{@code start-vm --mock URL --resource R [--group G]}: starts a VM in the mock, waits until it runs,
 *       prints its endpoint (the warm path's backend)</li>
 *   <li>{@code cold --gateway URL --mock URL --pid PID --n N --resource R --out FILE}: one cold burst</li>
 *   <li>{@code cluster-cold --gateways URL,URL,URL --mock URL --n N --resource R --out FILE}: one cold burst split
 *       round-robin over clustered gateways</li>
 *   <li>{@code burst --url URL --n N [--repeat R]}: N concurrent requests straight to URL, R times (a check
 *       of the driver itself: how fast it sends and drains against a plain backend)</li>
 *   <li>{@code churn --gateway URL --mock URL --pid PID --count M --idle-timeout-ms T --out FILE}: idle churn</li>
 *   <li>{@code real --gateway URL --admin URL --resource R [--path P] --runs K --out FILE [--suspend true]}: cold starts
 *       (and resumes) of a real machine through a running gateway</li>
 *   <li>{@code report --work DIR --out BASE ...}: results JSON/Markdown, chart data, README section</li>
 * </ul>
 */
public final class Main {
  private Main() {
  }

  public static void main(String[] argv) throws Exception {
    if (argv.length == 0) {
      System.err.println("usage: bench-driver start-vm|cold|churn|report --key value ...");
      System.exit(2);
    }
    Args args = new Args(argv, 1);
    switch (argv[0]) {
      case "report" -> Report.run(args);
      case "real" -> Real.run(args);
      case "start-vm" -> startVm(args);
      case "cold", "churn", "burst", "cluster-cold" -> {
        Vertx vertx = Vertx.vertx(new VertxOptions().setBlockedThreadCheckInterval(10_000));
        try {
          if (argv[0].equals("cold")) {
            Cold.run(vertx, args);
          } else if (argv[0].equals("cluster-cold")) {
            ClusterCold.run(vertx, args);
          } else if (argv[0].equals("burst")) {
            Cold.repeatDirect(vertx, args);
          } else {
            Churn.run(vertx, args);
          }
        } finally {
          vertx.close().toCompletionStage().toCompletableFuture().get();
        }
      }
      default -> {
        System.err.println("unknown command " + argv[0]);
        System.exit(2);
      }
    }
  }

  private static void startVm(Args a) throws Exception {
    Control mock = new Control(a.str("mock"));
    JsonObject vm = mock.startVm(a.str("resource"), a.str("group", "bench"));
    long deadline = System.currentTimeMillis() + 60_000;
    while (vm.getString("endpoint") == null || !"RUNNING".equals(vm.getString("state"))) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("VM " + vm.getString("id") + " not RUNNING after 60 s: " + vm.encode());
      }
      Thread.sleep(50);
      vm = mock.vm(vm.getString("id"));
    }
    System.out.println(vm.getString("endpoint"));
  }
}
