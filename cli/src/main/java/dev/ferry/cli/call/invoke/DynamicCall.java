package dev.ferry.cli.call.invoke;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One call of a method known only by its descriptor: requests are sent as {@link RequestReader}
 * yields them (a streaming call sends each as soon as it is read), and each response is handed to
 * the {@link CallPrinter} as it arrives.
 */
public final class DynamicCall {
  /**
   * How ferry's own cancels begin; a CANCELLED status without it came from the other side (a server
   * may end a call with grpc-status 1 too).
   */
  public static final String OWN_CANCEL = "ferry call";

  private final Channel channel;
  private final CallPrinter printer;
  private final SentHeadersTap tap;

  public DynamicCall(Channel channel, CallPrinter printer) {
    this(channel, printer, null);
  }

  /**
   * @param tap shows the request headers as they were written (for -v); null to not show them
   */
  public DynamicCall(Channel channel, CallPrinter printer, SentHeadersTap tap) {
    this.channel = channel;
    this.printer = printer;
    this.tap = tap;
  }

  /** The grpc-java view of a method, marshalling {@link DynamicMessage}s of its types. */
  public static MethodDescriptor<DynamicMessage, DynamicMessage> grpcMethod(
      Descriptors.MethodDescriptor method) {
    return MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
        .setType(type(method))
        .setFullMethodName(
            MethodDescriptor.generateFullMethodName(
                method.getService().getFullName(), method.getName()))
        .setRequestMarshaller(
            ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(method.getInputType())))
        .setResponseMarshaller(
            ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(method.getOutputType())))
        .build();
  }

  private static MethodDescriptor.MethodType type(Descriptors.MethodDescriptor method) {
    if (method.isClientStreaming()) {
      return method.isServerStreaming()
          ? MethodDescriptor.MethodType.BIDI_STREAMING
          : MethodDescriptor.MethodType.CLIENT_STREAMING;
    }
    return method.isServerStreaming()
        ? MethodDescriptor.MethodType.SERVER_STREAMING
        : MethodDescriptor.MethodType.UNARY;
  }

  /**
   * Runs the call to its end. Input that cannot be read or parsed cancels the call and is thrown as
   * an IOException naming the message.
   */
  public CallResult run(
      Descriptors.MethodDescriptor method,
      Metadata headers,
      CallOptions options,
      RequestReader requests)
      throws IOException, InterruptedException {
    MethodDescriptor<DynamicMessage, DynamicMessage> grpcMethod = grpcMethod(method);
    AtomicBoolean requestSent = new AtomicBoolean();
    ClientCall<DynamicMessage, DynamicMessage> call =
        channel.newCall(grpcMethod, options.withStreamTracerFactory(sentFlag(requestSent)));
    CompletableFuture<CallResult> done = new CompletableFuture<>();
    List<DynamicMessage> responses = Collections.synchronizedList(new ArrayList<>());
    String path = "/" + grpcMethod.getFullMethodName();
    RequestEcho echo =
        new RequestEcho(tap, printer, path, channel.authority(), method.isClientStreaming());
    printer.callStarted();
    call.start(
        new ClientCall.Listener<>() {
          private volatile Metadata responseHeaders;

          @Override
          public void onHeaders(Metadata h) {
            responseHeaders = h;
            printer.responseHeaders(h);
          }

          @Override
          public void onMessage(DynamicMessage message) {
            responses.add(message);
            printer.responseMessage(message);
            call.request(1);
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            // The call ends even if printing it failed: otherwise ferry would wait forever.
            try {
              printer.close(status, trailers);
            } finally {
              done.complete(
                  new CallResult(
                      status,
                      responseHeaders == null ? new Metadata() : responseHeaders,
                      trailers,
                      requestSent.get(),
                      responseHeaders != null,
                      List.copyOf(responses)));
            }
          }
        },
        headers);
    call.request(1);
    try {
      return finish(call, method, requests, done, echo);
    } finally {
      echo.close();
    }
  }

  private CallResult finish(
      ClientCall<DynamicMessage, DynamicMessage> call,
      Descriptors.MethodDescriptor method,
      RequestReader requests,
      CompletableFuture<CallResult> done,
      RequestEcho echo)
      throws IOException, InterruptedException {
    if (!method.isClientStreaming()) {
      // One request, read in full before it is sent: no reason for another thread.
      send(call, requests, done, e -> {}, echo);
      echo.awaitHeaders(done);
      return await(done);
    }
    echo.awaitHeaders(done);
    // Streaming input may be a terminal that never ends: read it on its own thread, so that a call
    // the server ends early ends ferry too instead of waiting for input nobody will send.
    CompletableFuture<Void> badInput = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try {
                send(call, requests, done, badInput::completeExceptionally, echo);
              } catch (IOException | RuntimeException e) {
                // Already handed to badInput, before the cancel that ends the call.
              }
            },
            "ferry-request-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      CompletableFuture.anyOf(done, badInput).get();
    } catch (ExecutionException e) {
      // Bad input: reported below.
    }
    // The input's failure is set before the call is cancelled, so it is seen here first.
    if (badInput.isCompletedExceptionally()) {
      try {
        badInput.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw (RuntimeException) e.getCause();
      }
    }
    return await(done);
  }

  /**
   * Sends every request, then half-closes. Bad input goes to {@code onBadInput} first, then cancels
   * the call, and is thrown.
   */
  private void send(
      ClientCall<DynamicMessage, DynamicMessage> call,
      RequestReader requests,
      CompletableFuture<CallResult> done,
      java.util.function.Consumer<Exception> onBadInput,
      RequestEcho echo)
      throws IOException {
    try {
      // A finished call (the server failed early) takes no more input: stop reading.
      for (DynamicMessage request = requests.next();
          request != null && !done.isDone();
          request = requests.next()) {
        call.sendMessage(request);
        echo.messageSent();
      }
      call.halfClose();
    } catch (IOException | RuntimeException e) {
      onBadInput.accept(e);
      call.cancel(OWN_CANCEL + ": bad request input", e);
      throw e;
    }
  }

  /** Records whether the request headers were written, so the stream was open on the wire. */
  private static ClientStreamTracer.Factory sentFlag(AtomicBoolean requestSent) {
    return new ClientStreamTracer.Factory() {
      @Override
      public ClientStreamTracer newClientStreamTracer(
          ClientStreamTracer.StreamInfo info, Metadata headers) {
        return new ClientStreamTracer() {
          @Override
          public void outboundHeaders() {
            requestSent.set(true);
          }
        };
      }
    };
  }

  private static CallResult await(CompletableFuture<CallResult> done) throws InterruptedException {
    try {
      return done.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }
}
