package dev.smartgateway.proxy;

/**
 * A completed exchange: the response was fully written to the client.
 *
 * @param status the status sent to the client (101 for a WebSocket that has since closed)
 * @param requestBytes request body bytes read from the client (for a WebSocket: bytes client to VM)
 * @param responseBytes response body bytes written to the client (for a WebSocket: bytes VM to client)
 */
public record ForwardOutcome(int status, long requestBytes, long responseBytes) {
}
