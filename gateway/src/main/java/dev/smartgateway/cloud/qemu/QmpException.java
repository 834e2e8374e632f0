package dev.smartgateway.cloud.qemu;

/** QEMU refused a QMP command: its error class ({@code GenericError}, {@code CommandNotFound}, ...) and description. */
final class QmpException extends RuntimeException {

  private final String errorClass;

  QmpException(String command, String errorClass, String description) {
    super("QMP " + command + " failed: " + errorClass + ": " + description);
    this.errorClass = errorClass;
  }

  String errorClass() {
    return errorClass;
  }
}
