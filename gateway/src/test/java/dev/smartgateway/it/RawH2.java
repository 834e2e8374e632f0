package dev.smartgateway.it;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/2 client that writes frames as they are asked for, whatever the protocol's rules or the server's
 * SETTINGS say: a hostile client (reset floods, more streams than allowed, requests without an authority). It
 * speaks TLS with ALPN {@code h2} and reads what the server sends back: statuses, stream resets, GOAWAY.
 */
final class RawH2 implements AutoCloseable {

  /** RST_STREAM / GOAWAY codes of RFC 9113 section 7. */
  static final long CANCEL = 0x8;
  static final long REFUSED_STREAM = 0x7;
  static final long ENHANCE_YOUR_CALM = 0xb;

  private final EventLoopGroup group;
  private final Channel channel;
  private final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
  private volatile ChannelHandlerContext ctx;
  private final Map<Integer, String> statuses = new ConcurrentHashMap<>();
  private final Map<Integer, Long> resets = new ConcurrentHashMap<>();
  private final AtomicLong goAway = new AtomicLong(-1);
  private final CountDownLatch closed = new CountDownLatch(1);

  private RawH2(int port) throws Exception {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    SslContext ssl = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
        .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2))
        .build();
    CountDownLatch ready = new CountDownLatch(1);
    channel = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(ssl.newHandler(ch.alloc(), "127.0.0.1", port));
        ch.pipeline().addLast(new Frames(ready));
      }
    }).connect("127.0.0.1", port).sync().channel();
    channel.closeFuture().addListener(f -> closed.countDown());
    SslHandler sslHandler = channel.pipeline().get(SslHandler.class);
    sslHandler.handshakeFuture().sync();
    if (!ApplicationProtocolNames.HTTP_2.equals(sslHandler.applicationProtocol())) {
      throw new AssertionError("the server did not choose h2 but " + sslHandler.applicationProtocol());
    }
    if (!ready.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("no pipeline");
    }
    onLoop(() -> {
      ctx.write(Http2CodecUtil.connectionPrefaceBuf());
      writer.writeSettings(ctx, new Http2Settings(), ctx.newPromise());
      ctx.flush();
    });
  }

  static RawH2 connect(int port) {
    try {
      return new RawH2(port);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** A request head on {@code streamId} (odd, rising); {@code authority} null sends none. */
  RawH2 headers(int streamId, String method, String path, String authority, boolean endStream) {
    return headers(streamId, method, path, authority, endStream, new DefaultHttp2Headers());
  }

  /** The same with more header fields ({@code extra}, lower-case names). */
  RawH2 headers(int streamId, String method, String path, String authority, boolean endStream, Http2Headers extra) {
    Http2Headers headers = new DefaultHttp2Headers().method(method).path(path).scheme("https");
    headers.add(extra);
    if (authority != null) {
      headers.authority(authority);
    }
    if (!endStream) {
      headers.set("content-length", "10");
    }
    onLoop(() -> writer.writeHeaders(ctx, streamId, headers, 0, endStream, ctx.newPromise()));
    return this;
  }

  RawH2 reset(int streamId, long code) {
    onLoop(() -> writer.writeRstStream(ctx, streamId, code, ctx.newPromise()));
    return this;
  }

  RawH2 flush() {
    onLoop(() -> ctx.flush());
    return this;
  }

  /** The {@code :status} the server answered {@code streamId} with, waiting for it; null if none came in time. */
  String status(int streamId, Duration deadline) {
    Harness.eventually("an answer on stream " + streamId, deadline,
        () -> statuses.containsKey(streamId) || resets.containsKey(streamId) || closed.getCount() == 0);
    return statuses.get(streamId);
  }

  /** The RST_STREAM code the server sent on {@code streamId}, waiting for it; null if none came in time. */
  Long resetCode(int streamId, Duration deadline) {
    Harness.eventually("a reset of stream " + streamId, deadline,
        () -> resets.containsKey(streamId) || closed.getCount() == 0);
    return resets.get(streamId);
  }

  /** The GOAWAY error code the server sent; -1 if none. */
  long goAwayCode() {
    return goAway.get();
  }

  boolean awaitClosed(Duration deadline) throws InterruptedException {
    return closed.await(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  private void onLoop(Runnable step) {
    channel.eventLoop().execute(step);
  }

  private final class Frames extends ByteToMessageDecoder {
    private final DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader();
    private final CountDownLatch ready;

    Frames(CountDownLatch ready) {
      this.ready = ready;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
      ctx = context;
      ready.countDown();
    }

    @Override
    protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out) throws Http2Exception {
      reader.readFrame(context, in, new Http2FrameAdapter() {
        @Override
        public void onHeadersRead(ChannelHandlerContext c, int streamId, Http2Headers headers, int padding,
                                  boolean endOfStream) {
          if (headers.status() != null) {
            statuses.putIfAbsent(streamId, headers.status().toString());
          }
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext c, int streamId, Http2Headers headers, int streamDependency,
                                  short weight, boolean exclusive, int padding, boolean endOfStream) {
          onHeadersRead(c, streamId, headers, padding, endOfStream);
        }

        @Override
        public int onDataRead(ChannelHandlerContext c, int streamId, ByteBuf data, int padding, boolean endOfStream) {
          return data.readableBytes() + padding;
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext c, int streamId, long errorCode) {
          resets.putIfAbsent(streamId, errorCode);
        }

        @Override
        public void onSettingsRead(ChannelHandlerContext c, Http2Settings settings) {
          writer.writeSettingsAck(c, c.newPromise());
          c.flush();
        }

        @Override
        public void onGoAwayRead(ChannelHandlerContext c, int lastStreamId, long errorCode, ByteBuf debugData) {
          goAway.compareAndSet(-1, errorCode);
        }
      });
    }
  }
}
