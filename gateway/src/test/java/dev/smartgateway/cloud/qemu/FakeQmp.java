package dev.smartgateway.cloud.qemu;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.parsetools.RecordParser;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * A QMP server on a unix socket that speaks as QEMU does: a greeting, then one JSON object per line. What it answers
 * is up to the test ({@link #answer}); by default every command gets {@code {"return": {}}} with its id.
 */
final class FakeQmp implements AutoCloseable {

  static final String GREETING = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}},"
      + " \"capabilities\": [\"oob\"]}}";

  final Path socket;
  final List<JsonObject> received = new CopyOnWriteArrayList<>();
  private final NetServer server;
  private volatile String greeting = GREETING;
  private volatile BiConsumer<JsonObject, NetSocket> answer = (command, client) -> send(client, ret(command, new JsonObject()));
  volatile NetSocket client;

  private FakeQmp(Path socket, NetServer server) {
    this.socket = socket;
    this.server = server;
  }

  static Future<FakeQmp> start(Vertx vertx, Path socket) {
    NetServer server = vertx.createNetServer();
    FakeQmp fake = new FakeQmp(socket, server);
    server.connectHandler(fake::onConnect);
    return server.listen(SocketAddress.domainSocketAddress(socket.toString())).map(s -> fake);
  }

  /** What the server does with each command (the handshake's qmp_capabilities included). */
  FakeQmp answer(BiConsumer<JsonObject, NetSocket> answer) {
    this.answer = answer;
    return this;
  }

  FakeQmp greeting(String greeting) {
    this.greeting = greeting;
    return this;
  }

  private void onConnect(NetSocket socket) {
    client = socket;
    socket.handler(RecordParser.newDelimited("\n", line -> {
      JsonObject command = new JsonObject(line.toString());
      received.add(command);
      answer.accept(command, socket);
    }));
    socket.write(greeting + "\r\n");
  }

  /** The answer QEMU gives a command that succeeded: its return value and the command's id. */
  static JsonObject ret(JsonObject command, JsonObject value) {
    return new JsonObject().put("return", value).put("id", command.getValue("id"));
  }

  static JsonObject event(String name, JsonObject data) {
    return new JsonObject().put("timestamp", new JsonObject().put("seconds", 1).put("microseconds", 2))
        .put("event", name).put("data", data);
  }

  static void send(NetSocket socket, JsonObject message) {
    socket.write(Buffer.buffer(message.encode() + "\r\n"));
  }

  @Override
  public void close() {
    server.close();
  }
}
