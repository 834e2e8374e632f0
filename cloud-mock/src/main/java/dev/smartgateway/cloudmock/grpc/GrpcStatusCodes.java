package dev.smartgateway.cloudmock.grpc;

import java.nio.charset.StandardCharsets;

/** The gRPC status codes the mock uses, and the percent-encoding of {@code grpc-message}. */
public final class GrpcStatusCodes {

  public static final int OK = 0;
  public static final int INVALID_ARGUMENT = 3;
  public static final int RESOURCE_EXHAUSTED = 8;
  public static final int UNIMPLEMENTED = 12;
  public static final int INTERNAL = 13;

  private GrpcStatusCodes() {
  }

  /**
   * {@code grpc-message} as the gRPC HTTP/2 protocol wants it: UTF-8, every byte outside printable ASCII
   * (0x20–0x7E) and {@code %} itself as {@code %XX}.
   */
  public static String percentEncode(String message) {
    StringBuilder out = new StringBuilder(message.length());
    for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if (c >= 0x20 && c <= 0x7E && c != '%') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }
}
