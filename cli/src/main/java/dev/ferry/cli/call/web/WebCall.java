package dev.ferry.cli.call.web;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ClientStreamTracer;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.netty.bootstrap.Bootstrap;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelFuture;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoop;
import io.grpc.netty.shaded.io.netty.channel.SimpleChannelInboundHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.SocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpClientCodec;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpContent;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpObject;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpStatusClass;
import io.grpc.netty.shaded.io.netty.handler.codec.http.LastHttpContent;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandler;
import io.grpc.netty.shaded.io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;

/**
 * One call over HTTP/1.1: the request is sent when the caller half-closes (these protocols take one
 * request message), on a connection of its own, and the response read as it arrives. Every callback
 * to the listener runs on the connection's event loop, so they never overlap.
 */
final class WebCall<ReqT, RespT> extends ClientCall<ReqT, RespT> implements WebResponse.Events {
  private final WebChannel channel;
  private final MethodDescriptor<ReqT, RespT> method;
  private final CallOptions options;
  private final EventLoop loop;
  private Listener<RespT> listener;
  private Metadata headers;
  private byte[] request;
  private Channel connection;
  private ScheduledFuture<?> deadlineTimer;
  private boolean closed; // on the loop

  WebCall(WebChannel channel, MethodDescriptor<ReqT, RespT> method, CallOptions options) {
    this.channel = channel;
    this.method = method;
    this.options = options;
    this.loop = channel.loop.next();
  }

  @Override
  public void start(Listener<RespT> listener, Metadata headers) {
    this.listener = listener;
    this.headers = headers;
    Deadline deadline = options.getDeadline();
    if (deadline != null) {
      deadlineTimer =
          loop.schedule(
              () ->
                  close(
                      Status.DEADLINE_EXCEEDED.withDescription("deadline passed"), new Metadata()),
              deadline.timeRemaining(TimeUnit.NANOSECONDS),
              TimeUnit.NANOSECONDS);
    }
  }

  /** The response is read as it arrives, whatever is asked: TCP's flow control paces it. */
  @Override
  public void request(int numMessages) {}

  @Override
  public void sendMessage(ReqT message) {
    if (request != null) {
      throw new IllegalStateException(channel.protocol + " carries one request message per call");
    }
    try (InputStream in = method.streamRequest(message)) {
      request = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void halfClose() {
    loop.execute(this::connect);
  }

  @Override
  public void cancel(String message, Throwable cause) {
    loop.execute(
        () -> close(Status.CANCELLED.withDescription(message).withCause(cause), new Metadata()));
  }

  private void connect() {
    if (closed) {
      return;
    }
    Bootstrap b =
        new Bootstrap()
            .group(loop)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, channel.connectTimeoutMillis)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (channel.tls != null) {
                      ch.pipeline().addLast(tlsHandler(ch));
                    }
                    ch.pipeline().addLast(new HttpClientCodec(), new ResponseReader());
                  }
                });
    ChannelFuture f = b.connect(channel.target.host(), channel.target.port());
    connection = f.channel();
    f.addListener(
        done -> {
          if (!done.isSuccess()) {
            close(
                Status.UNAVAILABLE
                    .withDescription(
                        "connect to " + channel.target + ": " + done.cause().getMessage())
                    .withCause(done.cause()),
                new Metadata());
            return;
          }
          boolean streaming = !method.getType().serverSendsOneMessage();
          connection.writeAndFlush(
              WebRequest.of(
                  channel.protocol,
                  streaming,
                  "/" + method.getFullMethodName(),
                  channel.authority,
                  headers,
                  request == null ? new byte[0] : request,
                  options.getDeadline()));
          requestSent();
        });
  }

  private SslHandler tlsHandler(SocketChannel ch) {
    String host = channel.authority.replaceFirst(":\\d+$", "").replaceAll("[\\[\\]]", "");
    SslHandler ssl = channel.tls.newHandler(ch.alloc(), host, channel.target.port());
    if (channel.verifyHostname) {
      SSLParameters p = ssl.engine().getSSLParameters();
      p.setEndpointIdentificationAlgorithm("HTTPS");
      ssl.engine().setSSLParameters(p);
    }
    return ssl;
  }

  /** Tells the call's stream tracers that the request went out, as grpc-java's transport does. */
  private void requestSent() {
    ClientStreamTracer.StreamInfo info =
        ClientStreamTracer.StreamInfo.newBuilder().setCallOptions(options).build();
    for (ClientStreamTracer.Factory f : options.getStreamTracerFactories()) {
      f.newClientStreamTracer(info, headers).outboundHeaders();
    }
  }

  @Override
  public void headers(Metadata h) {
    if (!closed) {
      listener.onHeaders(h);
    }
  }

  @Override
  public void message(byte[] message) {
    if (closed) {
      return;
    }
    RespT parsed;
    try {
      parsed = method.parseResponse(new ByteArrayInputStream(message));
    } catch (RuntimeException e) {
      close(
          Status.INTERNAL.withDescription("cannot parse a response message: " + e.getMessage()),
          new Metadata());
      return;
    }
    listener.onMessage(parsed);
  }

  @Override
  public void close(Status status, Metadata trailers) {
    if (closed) {
      return;
    }
    closed = true;
    if (deadlineTimer != null) {
      deadlineTimer.cancel(false);
    }
    if (connection != null) {
      connection.close();
    }
    listener.onClose(status, trailers);
  }

  /** What an answer that is no HTTP/1.1 answer most likely means. */
  private String noBridge() {
    return ": a gRPC server speaks HTTP/2 only, and "
        + channel.protocol
        + " needs a bridge in front of it (ferry serve is one)";
  }

  /** Hands the response's parts to the protocol's reader. */
  private final class ResponseReader extends SimpleChannelInboundHandler<HttpObject> {
    private WebResponse response;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject o) {
      if (o.decoderResult().isFailure()) {
        close(
            Status.INTERNAL.withDescription(
                "the answer is not HTTP/1.1 ("
                    + o.decoderResult().cause().getMessage()
                    + ")"
                    + noBridge()),
            new Metadata());
        return;
      }
      if (o instanceof HttpResponse r) {
        if (r.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
          return; // 100 Continue and the like: the answer follows
        }
        response =
            WebResponse.of(
                channel.protocol,
                !method.getType().serverSendsOneMessage(),
                WebCall.this,
                options.getMaxInboundMessageSize() == null
                    ? Integer.MAX_VALUE
                    : options.getMaxInboundMessageSize());
        response.head(r);
      }
      if (o instanceof HttpContent c && response != null) {
        response.body(c.content());
        if (o instanceof LastHttpContent) {
          response.end();
        }
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      close(
          Status.UNAVAILABLE.withDescription(
              response == null
                  ? "the server closed the connection without an answer" + noBridge()
                  : "the server closed the connection before the answer ended"),
          new Metadata());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      close(
          Status.UNAVAILABLE.withDescription(cause.getMessage()).withCause(cause), new Metadata());
    }
  }
}
