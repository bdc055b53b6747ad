package dev.ferry.cli.call;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
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

/**
 * One call of a method known only by its descriptor: requests are sent as {@link RequestReader}
 * yields them (a streaming call sends each as soon as it is read), and each response is handed to
 * the {@link CallPrinter} as it arrives.
 */
final class DynamicCall {
  private final Channel channel;
  private final CallPrinter printer;

  DynamicCall(Channel channel, CallPrinter printer) {
    this.channel = channel;
    this.printer = printer;
  }

  /** The grpc-java view of a method, marshalling {@link DynamicMessage}s of its types. */
  static MethodDescriptor<DynamicMessage, DynamicMessage> grpcMethod(
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
  CallResult run(
      Descriptors.MethodDescriptor method,
      Metadata headers,
      CallOptions options,
      RequestReader requests)
      throws IOException, InterruptedException {
    MethodDescriptor<DynamicMessage, DynamicMessage> grpcMethod = grpcMethod(method);
    ClientCall<DynamicMessage, DynamicMessage> call = channel.newCall(grpcMethod, options);
    CompletableFuture<CallResult> done = new CompletableFuture<>();
    List<DynamicMessage> responses = Collections.synchronizedList(new ArrayList<>());
    printer.requestHeaders("/" + grpcMethod.getFullMethodName(), channel.authority(), headers);
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
                      responseHeaders != null,
                      List.copyOf(responses)));
            }
          }
        },
        headers);
    call.request(1);
    if (!method.isClientStreaming()) {
      // One request, read in full before it is sent: no reason for another thread.
      send(call, requests, done, e -> {});
      return await(done);
    }
    // Streaming input may be a terminal that never ends: read it on its own thread, so that a call
    // the server ends early ends ferry too instead of waiting for input nobody will send.
    CompletableFuture<Void> badInput = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try {
                send(call, requests, done, badInput::completeExceptionally);
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
      java.util.function.Consumer<Exception> onBadInput)
      throws IOException {
    try {
      int sent = 0;
      // A finished call (the server failed early) takes no more input: stop reading.
      for (DynamicMessage request = requests.next();
          request != null && !done.isDone();
          request = requests.next()) {
        call.sendMessage(request);
        printer.requestMessage(++sent);
      }
      call.halfClose();
    } catch (IOException | RuntimeException e) {
      onBadInput.accept(e);
      call.cancel("ferry call: bad request input", e);
      throw e;
    }
  }

  private static CallResult await(CompletableFuture<CallResult> done) throws InterruptedException {
    try {
      return done.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }
}
