package dev.ferry.proxy.e2e;

import dev.ferry.testservers.helloworld.ChatMessage;
import dev.ferry.testservers.helloworld.DaininkiGrpc;
import dev.ferry.testservers.helloworld.GreeterGrpc;
import dev.ferry.testservers.helloworld.HelloReply;
import dev.ferry.testservers.helloworld.HelloRequest;
import dev.ferry.testservers.helloworld.RankingEntry;
import dev.ferry.testservers.helloworld.RankingRequest;
import dev.ferry.testservers.helloworld.VoteReply;
import dev.ferry.testservers.helloworld.VoteRequest;
import dev.ferry.testservers.helloworld.VoteTally;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A grpc-java backend with the hooks {@code ExampleServer} does not offer and some proxy tests
 * need: the metadata and deadline each call arrived with, health answers a test scripts, a flood
 * stream that reports when flow control stopped it, a cancellation latch, a per-connection stream
 * limit and a built-in delay.
 */
final class TestBackend implements AutoCloseable {
  static final Context.Key<Metadata> HEADERS = Context.key("headers");
  static final Metadata.Key<String> DELAY = key("x-delay-ms");
  static final Metadata.Key<String> FAIL_STATUS = key("x-fail-status");
  static final Metadata.Key<String> FLOOD = key("x-flood-bytes");
  static final Metadata.Key<String> HOLD = key("x-hold");

  final ConcurrentLinkedQueue<Metadata> seenHeaders = new ConcurrentLinkedQueue<>();

  /** Per call, the deadline the backend saw in milliseconds, or -1 for none. */
  final ConcurrentLinkedQueue<Long> seenDeadlines = new ConcurrentLinkedQueue<>();

  final AtomicLong floodSent = new AtomicLong();
  final CountDownLatch floodBlocked = new CountDownLatch(1);
  final CountDownLatch cancelled = new CountDownLatch(1);

  /** Counted down when the first call's headers arrive. */
  final CountDownLatch callArrived = new CountDownLatch(1);

  /** Its grpc.health.v1 service: SERVING until a test says otherwise. */
  final ScriptedHealth health = new ScriptedHealth();

  /** A BulkVote call sent with x-hold: it reads nothing until the test asks it to. */
  final java.util.concurrent.CompletableFuture<ServerCallStreamObserver<?>> held =
      new java.util.concurrent.CompletableFuture<>();

  private final Server server;

  private final long instanceDelayMs;

  private TestBackend(int maxConcurrentStreams, long instanceDelayMs, long maxConnectionAgeMs)
      throws IOException {
    this.instanceDelayMs = instanceDelayMs;
    NettyServerBuilder b =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .maxInboundMessageSize(80 << 20)
            .addService(ServerInterceptors.intercept(new Greeter(), new Capture()))
            .addService(ServerInterceptors.intercept(new Daininki(), new Capture()))
            .addService(health);
    if (maxConnectionAgeMs > 0) {
      b.maxConnectionAge(maxConnectionAgeMs, TimeUnit.MILLISECONDS)
          .maxConnectionAgeGrace(5, TimeUnit.SECONDS);
    }
    if (maxConcurrentStreams > 0) {
      b.maxConcurrentCallsPerConnection(maxConcurrentStreams);
    }
    this.server = b.build().start();
  }

  static TestBackend start() throws IOException {
    return start(0);
  }

  static TestBackend start(int maxConcurrentStreams) throws IOException {
    return new TestBackend(maxConcurrentStreams, 0, 0);
  }

  /** A backend that answers every unary call {@code delayMs} late: the slow instance. */
  static TestBackend startSlow(long delayMs) throws IOException {
    return new TestBackend(0, delayMs, 0);
  }

  /** A backend that sends GOAWAY on every connection older than {@code ageMs}. */
  static TestBackend startRecycling(long ageMs) throws IOException {
    return new TestBackend(0, 0, ageMs);
  }

  int port() {
    return server.getPort();
  }

  String servedBy() {
    return "backend@" + port();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private static Metadata.Key<String> key(String name) {
    return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
  }

  private static String header(Metadata.Key<String> k) {
    Metadata m = HEADERS.get();
    return m == null ? null : m.get(k);
  }

  /** Applies x-delay-ms and x-fail-status; true when the call was failed. */
  private boolean faults(StreamObserver<?> out) {
    String delay = instanceDelayMs > 0 ? Long.toString(instanceDelayMs) : header(DELAY);
    if (delay != null) {
      try {
        Thread.sleep(Long.parseLong(delay)); // the backend's own latency, not a test wait
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    String fail = header(FAIL_STATUS);
    if (fail != null) {
      out.onError(
          Status.fromCodeValue(Integer.parseInt(fail))
              .withDescription("injected")
              .asRuntimeException());
      return true;
    }
    return false;
  }

  private final class Capture implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      seenHeaders.add(headers);
      callArrived.countDown();
      io.grpc.Deadline d = Context.current().getDeadline();
      seenDeadlines.add(d == null ? -1 : d.timeRemaining(TimeUnit.MILLISECONDS));
      return Contexts.interceptCall(
          Context.current().withValue(HEADERS, headers), call, headers, next);
    }
  }

  private final class Greeter extends GreeterGrpc.GreeterImplBase {
    @Override
    public void sayHello(HelloRequest req, StreamObserver<HelloReply> out) {
      if (faults(out)) {
        return;
      }
      out.onNext(HelloReply.newBuilder().setMessage("Hello, " + req.getName() + "!").build());
      out.onCompleted();
    }

    @Override
    public void sayHelloAgain(HelloRequest req, StreamObserver<HelloReply> out) {
      if (faults(out)) {
        return;
      }
      out.onNext(HelloReply.newBuilder().setMessage("Hello again, " + req.getName() + "!").build());
      out.onCompleted();
    }

    @Override
    public void sayHelloStreamReply(HelloRequest req, StreamObserver<HelloReply> out) {
      if (faults(out)) {
        return;
      }
      String flood = header(FLOOD);
      if (flood != null) {
        flood((ServerCallStreamObserver<HelloReply>) out, Long.parseLong(flood));
        return;
      }
      for (int i = 0; i < 3; i++) {
        out.onNext(
            HelloReply.newBuilder().setMessage("Hello, " + req.getName() + "! #" + i).build());
      }
      out.onCompleted();
    }

    /** Sends 64 KiB messages while the transport is ready, until {@code total} bytes went out. */
    private void flood(ServerCallStreamObserver<HelloReply> out, long total) {
      String chunk = "x".repeat(64 << 10);
      HelloReply msg = HelloReply.newBuilder().setMessage(chunk).build();
      out.setOnCancelHandler(cancelled::countDown);
      boolean[] done = {false};
      out.setOnReadyHandler(
          () -> {
            while (!done[0] && out.isReady()) {
              if (floodSent.get() >= total) {
                done[0] = true;
                out.onCompleted();
                return;
              }
              out.onNext(msg);
              floodSent.addAndGet(chunk.length());
            }
            if (!done[0]) {
              floodBlocked.countDown();
            }
          });
    }

    @Override
    public StreamObserver<HelloRequest> sayHelloBidiStream(StreamObserver<HelloReply> out) {
      ((ServerCallStreamObserver<HelloReply>) out).setOnCancelHandler(cancelled::countDown);
      return new StreamObserver<>() {
        @Override
        public void onNext(HelloRequest req) {
          out.onNext(HelloReply.newBuilder().setMessage("Hello, " + req.getName() + "!").build());
        }

        @Override
        public void onError(Throwable t) {
          cancelled.countDown();
        }

        @Override
        public void onCompleted() {
          out.onCompleted();
        }
      };
    }
  }

  private final class Daininki extends DaininkiGrpc.DaininkiImplBase {
    private final Map<String, Long> votes = new HashMap<>();

    @Override
    public synchronized void vote(VoteRequest req, StreamObserver<VoteReply> out) {
      if (faults(out)) {
        return;
      }
      long n = votes.merge(req.getCandidate(), 1L, Long::sum);
      out.onNext(
          VoteReply.newBuilder()
              .setCandidate(req.getCandidate())
              .setVotes(n)
              .setServedBy(servedBy())
              .build());
      out.onCompleted();
    }

    @Override
    public void ranking(RankingRequest req, StreamObserver<RankingEntry> out) {
      if (faults(out)) {
        return;
      }
      for (int i = 1; i <= req.getCount(); i++) {
        out.onNext(
            RankingEntry.newBuilder()
                .setRank(i)
                .setCandidate("c" + i)
                .setServedBy(servedBy())
                .build());
      }
      out.onCompleted();
    }

    @Override
    public StreamObserver<VoteRequest> bulkVote(StreamObserver<VoteTally> out) {
      if (header(HOLD) != null) {
        ServerCallStreamObserver<VoteTally> call = (ServerCallStreamObserver<VoteTally>) out;
        call.disableAutoRequest();
        held.complete(call);
      }
      Map<String, Long> tally = new HashMap<>();
      return new StreamObserver<>() {
        @Override
        public void onNext(VoteRequest r) {
          tally.merge(r.getCandidate(), 1L, Long::sum);
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          long total = tally.values().stream().mapToLong(Long::longValue).sum();
          out.onNext(
              VoteTally.newBuilder()
                  .putAllVotes(tally)
                  .setTotal(total)
                  .setServedBy(servedBy())
                  .build());
          out.onCompleted();
        }
      };
    }

    @Override
    public StreamObserver<ChatMessage> chat(StreamObserver<ChatMessage> out) {
      ((ServerCallStreamObserver<ChatMessage>) out).setOnCancelHandler(cancelled::countDown);
      return new StreamObserver<>() {
        @Override
        public void onNext(ChatMessage m) {
          out.onNext(ChatMessage.newBuilder().setText(m.getText()).setServedBy(servedBy()).build());
        }

        @Override
        public void onError(Throwable t) {
          cancelled.countDown();
        }

        @Override
        public void onCompleted() {
          out.onCompleted();
        }
      };
    }
  }
}
