package dev.smartgateway.cloud.qemu;

import dev.smartgateway.cloud.CloudException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.parsetools.RecordParser;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One QMP (QEMU Machine Protocol) connection over a VM's unix socket: QEMU greets, the client sends
 * {@code qmp_capabilities} to leave negotiation mode, then commands and their answers flow as one JSON object per
 * line, with asynchronous events ({@code STOP}, {@code RESUME}, {@code SHUTDOWN}, ...) in between. Every command
 * carries an {@code id} that QEMU echoes in its answer, so answers are matched to commands whatever comes between.
 *
 * <p>QEMU serves one QMP client per socket at a time: a gateway holds the connection of each VM it runs, and
 * closes it on {@code close()} so that the next gateway can connect. Use from the context that connected; handlers
 * and futures run there.
 */
final class QmpClient {

  /** Far above any QMP answer the adapter asks for; a peer sending more is not QEMU. */
  private static final int MAX_LINE = 1 << 20;

  private final Vertx vertx;
  private final NetSocket socket;
  private final Duration timeout;
  private final Map<Long, Pending> pending = new LinkedHashMap<>();
  private final Promise<QmpClient> ready = Promise.promise();
  private Handler<QmpEvent> eventHandler = e -> { };
  private Handler<Void> closeHandler = v -> { };
  private long nextId = 1;
  private boolean greeted;
  private boolean closed;

  /** An event QEMU sent: its name and data ({} if none). */
  record QmpEvent(String name, JsonObject data) {
  }

  private record Pending(String command, Promise<JsonObject> answer, long timer) {
  }

  private QmpClient(Vertx vertx, NetSocket socket, Duration timeout) {
    this.vertx = vertx;
    this.socket = socket;
    this.timeout = timeout;
  }

  /**
   * Connects to the socket and completes the capabilities negotiation.
   *
   * @param timeout for the connection and each command; a command without an answer by then fails with
   *                {@link CloudException.Kind#TIMEOUT}
   */
  static Future<QmpClient> connect(Vertx vertx, NetClient client, Path socketPath, Duration timeout) {
    return client.connect(SocketAddress.domainSocketAddress(socketPath.toString())).compose(socket -> {
      QmpClient qmp = new QmpClient(vertx, socket, timeout);
      qmp.listen();
      long timer = vertx.setTimer(timeout.toMillis(), t -> qmp.fail(new CloudException(CloudException.Kind.TIMEOUT,
          "QEMU did not complete the QMP handshake on " + socketPath + " within " + timeout.toMillis() + " ms")));
      return qmp.ready.future().onComplete(ar -> vertx.cancelTimer(timer));
    });
  }

  private void listen() {
    RecordParser lines = RecordParser.newDelimited("\n", this::onLine).maxRecordSize(MAX_LINE);
    lines.exceptionHandler(e -> fail(new CloudException(CloudException.Kind.PERMANENT,
        "QMP line longer than " + MAX_LINE + " bytes", e)));
    socket.handler(lines);
    socket.exceptionHandler(e -> fail(new CloudException(CloudException.Kind.TRANSIENT, "QMP connection failed: " + e, e)));
    socket.closeHandler(v -> onClose());
  }

  /** Events in the order QEMU sent them. */
  QmpClient eventHandler(Handler<QmpEvent> handler) {
    this.eventHandler = handler;
    return this;
  }

  /** Called once when the connection ends: QEMU exited (or closed it), or {@link #close} was called. */
  QmpClient closeHandler(Handler<Void> handler) {
    this.closeHandler = handler;
    return this;
  }

  boolean isOpen() {
    return !closed;
  }

  Future<JsonObject> execute(String command) {
    return execute(command, null);
  }

  /**
   * Sends a command; answers its {@code return} value (a JSON object, {} for commands that return nothing), or fails
   * with a {@link QmpException} if QEMU refused it, a TRANSIENT {@link CloudException} if the connection ended first,
   * or a TIMEOUT one.
   */
  Future<JsonObject> execute(String command, JsonObject arguments) {
    if (closed) {
      return Future.failedFuture(new CloudException(CloudException.Kind.TRANSIENT, "QMP connection closed; cannot send " + command));
    }
    long id = nextId++;
    JsonObject message = new JsonObject().put("execute", command).put("id", id);
    if (arguments != null) {
      message.put("arguments", arguments);
    }
    Promise<JsonObject> answer = Promise.promise();
    long timer = vertx.setTimer(timeout.toMillis(), t -> {
      Pending late = pending.remove(id);
      if (late != null) {
        late.answer.tryFail(new CloudException(CloudException.Kind.TIMEOUT,
            "QEMU did not answer QMP " + command + " within " + timeout.toMillis() + " ms"));
      }
    });
    pending.put(id, new Pending(command, answer, timer));
    socket.write(Buffer.buffer(message.encode() + "\n"));
    return answer.future();
  }

  /** Closes the connection; QEMU keeps running. */
  Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    return socket.close();
  }

  private void onLine(Buffer line) {
    if (line.length() == 0) {
      return;
    }
    JsonObject message;
    try {
      message = new JsonObject(line.toString().strip());
    } catch (DecodeException | ClassCastException e) {
      fail(new CloudException(CloudException.Kind.PERMANENT, "not QMP (a line that is no JSON object): " + abbreviate(line), e));
      return;
    }
    if (!greeted) {
      if (!message.containsKey("QMP")) {
        fail(new CloudException(CloudException.Kind.PERMANENT, "not a QMP greeting: " + abbreviate(line)));
        return;
      }
      greeted = true;
      execute("qmp_capabilities").onComplete(ar -> {
        if (ar.succeeded()) {
          ready.tryComplete(this);
        } else {
          fail(ar.cause());
        }
      });
    } else if (message.containsKey("event")) {
      JsonObject data = message.getValue("data") instanceof JsonObject d ? d : new JsonObject();
      eventHandler.handle(new QmpEvent(message.getString("event"), data));
    } else if (message.getValue("id") instanceof Number id) {
      answer(id.longValue(), message);
    }
    // An answer without an id answers no command of ours (we send ids on all): ignored.
  }

  private void answer(long id, JsonObject message) {
    Pending command = pending.remove(id);
    if (command == null) {
      return; // answered after its timeout
    }
    vertx.cancelTimer(command.timer);
    if (message.getValue("error") instanceof JsonObject error) {
      command.answer.tryFail(new QmpException(command.command, error.getString("class", "Error"), error.getString("desc", "")));
    } else {
      Object value = message.getValue("return");
      command.answer.tryComplete(value instanceof JsonObject object ? object : new JsonObject());
    }
  }

  private void fail(Throwable cause) {
    ready.tryFail(cause);
    if (!closed) {
      socket.close();
    }
  }

  private void onClose() {
    closed = true;
    ready.tryFail(new CloudException(CloudException.Kind.TRANSIENT, "QMP connection closed during the handshake"));
    for (Pending command : pending.values()) {
      vertx.cancelTimer(command.timer);
      command.answer.tryFail(new CloudException(CloudException.Kind.TRANSIENT,
          "QMP connection closed before QEMU answered " + command.command));
    }
    pending.clear();
    closeHandler.handle(null);
  }

  private static String abbreviate(Buffer line) {
    String text = line.toString();
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
