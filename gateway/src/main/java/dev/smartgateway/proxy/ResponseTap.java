package dev.smartgateway.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Sees a VM's response as the forwarder streams it to the client (the response cache fills from it), without
 * holding it up: every call comes on the request's event loop, before the same bytes are written to the client, and
 * must return at once. It may keep what it sees (copy the bytes: the buffers are the client's). One exchange may be
 * followed by another (the one retry): {@link #abort} ends the first, and a new {@link #head} starts over.
 */
public interface ResponseTap {

  /** Sees nothing. */
  ResponseTap NONE = new ResponseTap() {
    @Override
    public void head(int status, String statusMessage, MultiMap headers) {
    }

    @Override
    public void chunk(Buffer chunk) {
    }

    @Override
    public void end(MultiMap trailers) {
    }

    @Override
    public void abort() {
    }
  };

  /** The VM's response head (not a 101), its headers as the VM sent them. */
  void head(int status, String statusMessage, MultiMap headers);

  /** A body chunk, just before it is written to the client. */
  void chunk(Buffer chunk);

  /** The VM's response is complete (its trailers, often empty). */
  void end(MultiMap trailers);

  /** The exchange failed: what was seen of it is not a whole response. */
  void abort();
}
