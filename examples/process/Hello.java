import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * A tiny app for the process adapter example, run as a single-file program (Java 11+):
 *
 * <pre>java examples/process/Hello.java 8000</pre>
 *
 * It answers with the groups it was started for: the gateway passes them in SMART_GATEWAY_GROUPS (and, per
 * request, the caller's groups in the X-Smart-Gateway-Groups header).
 */
public class Hello {

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args.length > 0 ? args[0] : System.getenv().getOrDefault("PORT", "8000"));
    String groups = System.getenv().getOrDefault("SMART_GATEWAY_GROUPS", "");
    String resource = System.getenv().getOrDefault("SMART_GATEWAY_RESOURCE", "hello");
    String greeting = System.getenv().getOrDefault("GREETING", "Hello");

    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/health", exchange -> respond(exchange, "text/plain", "ok\n"));
    server.createContext("/", exchange -> {
      String callerGroups = exchange.getRequestHeaders().getFirst("X-Smart-Gateway-Groups");
      String body = "{"
          + "\"message\":\"" + greeting + ", " + (groups.isEmpty() ? "nobody" : groups) + "!\","
          + "\"startedForGroups\":" + jsonArray(groups) + ","
          + "\"requestGroups\":" + (callerGroups == null ? "null" : jsonArray(callerGroups)) + ","
          + "\"resource\":\"" + resource + "\","
          + "\"pid\":" + ProcessHandle.current().pid() + ","
          + "\"path\":\"" + exchange.getRequestURI().getRawPath().replace("\"", "%22") + "\""
          + "}\n";
      respond(exchange, "application/json", body);
    });
    server.setExecutor(Executors.newFixedThreadPool(4));
    // SIGTERM (the adapter's default stop signal) runs shutdown hooks: let requests in flight finish.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(1)));
    server.start();
    System.out.println(resource + " listening on 127.0.0.1:" + port + ", started for groups [" + groups + "]");
  }

  private static void respond(HttpExchange exchange, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String jsonArray(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(","))
        .filter(s -> !s.isBlank())
        .map(s -> "\"" + s.trim().replace("\"", "") + "\"")
        .collect(Collectors.joining(",", "[", "]"));
  }
}
