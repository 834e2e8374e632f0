package dev.smartgateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smartgateway.error.ErrorType;
import io.netty.channel.ChannelException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The exceptions Vert.x 5.0.10 and Netty hand the forwarder when no connection can be had, built as they
 * build them, and whose fault each one is: the gateway's saturation is 503 and never blames the VM.
 */
class ConnectFailureTest {

  private static ConnectFailure classify(Throwable cause) {
    return ConnectFailure.classify(cause, 2, Duration.ofMillis(450));
  }

  @Test
  void aFullPoolWaitQueueIsTheGatewaysSaturation() {
    ConnectFailure failure = classify(
        new ConnectionPoolTooBusyException("Connection pool reached max wait queue size of 1"));

    assertThat(failure.vmAtFault()).isFalse();
    assertThat(failure.problem().type()).isEqualTo(ErrorType.GATEWAY_BUSY);
    assertThat(failure.problem().retryAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(failure.problem().detail()).contains("all 2 connections", "wait queue is full");
  }

  @Test
  void waitingTooLongForAPooledConnectionIsTheGatewaysSaturation() {
    ConnectFailure failure = classify(new NoStackTraceTimeoutException(
        "The timeout of 450 ms has been exceeded when getting a connection to 127.0.0.1:1234"));

    assertThat(failure.vmAtFault()).isFalse();
    assertThat(failure.problem().type()).isEqualTo(ErrorType.GATEWAY_BUSY);
    assertThat(failure.problem().detail()).contains("stayed busy for 450 ms");
  }

  @Test
  void runningOutOfFileDescriptorsOrLocalPortsIsTheGatewaysSaturation() {
    ConnectFailure fds = classify(new ChannelException("Failed to open a socket.",
        new SocketException("Too many open files")));
    ConnectFailure ports = classify(new SocketException("Cannot assign requested address"));

    assertThat(fds.vmAtFault()).isFalse();
    assertThat(fds.problem().type()).isEqualTo(ErrorType.GATEWAY_BUSY);
    assertThat(fds.problem().detail()).contains("file descriptor");
    assertThat(ports.vmAtFault()).isFalse();
    assertThat(ports.problem().detail()).contains("local port");
  }

  @Test
  void aRefusedResetOrTimedOutTcpConnectIsTheVmsFault() {
    for (Throwable cause : new Throwable[] {
        new ConnectException("Connection refused: /127.0.0.1:1234"),
        new io.netty.channel.ConnectTimeoutException("connection timed out after 200 ms: /10.0.0.9:80"),
        new NoRouteToHostException("No route to host"),
        new SocketException("Connection reset")}) {
      ConnectFailure failure = classify(cause);

      assertThat(failure.vmAtFault()).as("%s", cause).isTrue();
      assertThat(failure.problem().type()).isEqualTo(ErrorType.BACKEND_FAILED);
      assertThat(failure.problem().detail()).as("the VM's private address is not told")
          .doesNotContain("127.0.0.1", "10.0.0.9");
    }
  }

  @Test
  void anUnknownFailureIs502WithoutBlamingTheVm() {
    ConnectFailure failure = classify(new IllegalStateException("something else"));

    assertThat(failure.vmAtFault()).isFalse();
    assertThat(failure.problem().type()).isEqualTo(ErrorType.BACKEND_FAILED);
  }
}
