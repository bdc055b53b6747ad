package dev.ferry.proxy.xds;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import dev.ferry.proxy.config.ProxyConfig;
import dev.ferry.proxy.reload.ConfigSource;
import dev.ferry.proxy.reload.Reloadable;
import dev.ferry.proxy.reload.ResourceVersion;
import dev.ferry.proxy.reload.SourceStatus;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ferry's xDS client: one ADS stream (state of the world) to the control plane of the bootstrap,
 * asking for listeners and clusters by wildcard and for the routes and endpoints they name. Each
 * response is translated and put together with everything accepted before; when the result is a
 * complete configuration it is applied through {@link Reloadable#reload}, as a changed file is. A
 * response that translates and applies is ACKed; one that does not is NACKed with an {@code
 * error_detail} naming the resource, the field and why, and the last good configuration stays.
 *
 * <p>When the stream fails the proxy keeps serving what it has and the client reconnects with
 * exponential backoff, asking again from the versions it holds. All state lives on one thread.
 */
public final class XdsClient implements ConfigSource, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(XdsClient.class);
  private static final ResourceType[] ORDER = {
    ResourceType.CLUSTER, ResourceType.ENDPOINT, ResourceType.LISTENER, ResourceType.ROUTE
  };

  private final XdsBootstrap bootstrap;
  private final StaticResources statics;
  private final XdsOptions options;
  private final Clock clock;
  private final ManagedChannel channel;
  private final ScheduledExecutorService executor;
  private final Map<ResourceType, Subscription> subscriptions = new EnumMap<>(ResourceType.class);
  private final ConfigHandoff handoff;

  // Written on the executor; volatile where status() reads from another thread.
  private volatile XdsState state = XdsState.EMPTY;
  private volatile boolean streamUp;
  private volatile String lastProblem;
  private volatile String lastRejection;
  private volatile List<String> waitingFor = List.of();
  private StreamObserver<DiscoveryRequest> requests;
  private int generation;
  private Duration nextBackoff;
  private boolean closed;

  private XdsClient(XdsBootstrap bootstrap, ProxyConfig base, XdsOptions options, Clock clock) {
    this.bootstrap = bootstrap;
    this.statics = new StaticResources(base);
    this.options = options;
    this.clock = clock;
    this.nextBackoff = options.backoffInitial();
    this.handoff = new ConfigHandoff(clock);
    this.channel =
        Grpc.newChannelBuilder(
                bootstrap.serverUri(),
                bootstrap.tls()
                    ? TlsChannelCredentials.create()
                    : InsecureChannelCredentials.create())
            .build();
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ferry-xds");
              t.setDaemon(true);
              return t;
            });
    for (ResourceType t : ResourceType.values()) {
      subscriptions.put(t, new Subscription(t));
    }
  }

  /**
   * Opens the stream to {@code bootstrap}'s control plane.
   *
   * @param base the file's listeners and clusters, which the control plane's join (none with a
   *     bootstrap given by flag), and the access log, drain timeout and admin listener
   */
  public static XdsClient start(XdsBootstrap bootstrap, ProxyConfig base, XdsOptions options) {
    XdsClient c = new XdsClient(bootstrap, base, options, Clock.systemUTC());
    c.executor.execute(c::connect);
    return c;
  }

  /**
   * Waits for the first complete configuration: the one to start the proxy with.
   *
   * @throws TimeoutException when none came in {@code timeout}; the message says what is missing
   */
  public ProxyConfig awaitFirstConfig(Duration timeout)
      throws InterruptedException, TimeoutException {
    try {
      return handoff.awaitFirst(timeout);
    } catch (TimeoutException e) {
      String problem = lastProblem;
      throw new TimeoutException(
          "no configuration from the control plane at "
              + bootstrap.serverUri()
              + " within "
              + timeout.toSeconds()
              + "s"
              + (problem != null ? " (" + problem + ")" : "")
              + (waitingFor.isEmpty() ? "" : "; waiting for " + String.join(", ", waitingFor)));
    }
  }

  /**
   * From now on configurations go to {@code target}: the proxy started with {@link
   * #awaitFirstConfig}'s. One that came in between is applied at once.
   */
  public void applyTo(Reloadable target) {
    executor.execute(() -> logApplied(handoff.follow(target)));
  }

  private void connect() {
    if (closed) {
      return;
    }
    int gen = ++generation;
    log.info("xds: connecting to {}", bootstrap.serverUri());
    requests =
        AggregatedDiscoveryServiceGrpc.newStub(channel)
            .streamAggregatedResources(
                new StreamObserver<>() {
                  @Override
                  public void onNext(DiscoveryResponse r) {
                    run(() -> onResponse(gen, r));
                  }

                  @Override
                  public void onError(Throwable t) {
                    // Also the cancellation close() asks for, which grpc reports after the
                    // executor stopped: run() drops it.
                    run(() -> onStreamEnd(gen, Status.fromThrowable(t)));
                  }

                  @Override
                  public void onCompleted() {
                    run(
                        () ->
                            onStreamEnd(gen, Status.UNAVAILABLE.withDescription("stream closed")));
                  }
                });
    streamUp = true;
    for (ResourceType t : ORDER) {
      Subscription s = subscriptions.get(t);
      // A new stream starts without a nonce, from the versions held (xDS protocol, "reconnect").
      s.nonce = "";
      if (s.wanted()) {
        send(s, null);
      }
    }
  }

  /** Runs {@code task} on the client's thread, unless the client is closed. */
  private void run(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      // closed: the stream's last events no longer matter
    }
  }

  private void onStreamEnd(int gen, Status status) {
    if (gen != generation || closed) {
      return;
    }
    streamUp = false;
    requests = null;
    Duration wait = jittered(nextBackoff);
    nextBackoff =
        min(options.backoffMax(), Duration.ofMillis((long) (nextBackoff.toMillis() * 1.6)));
    String problem =
        status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
    lastProblem = "stream to " + bootstrap.serverUri() + " failed: " + problem;
    log.warn(
        "xds: {}; serving the last good configuration{}; reconnecting in {} ms",
        lastProblem,
        handoff.appliedAt() == null ? " (none yet)" : "",
        wait.toMillis());
    executor.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void onResponse(int gen, DiscoveryResponse r) {
    if (gen != generation || closed) {
      return;
    }
    nextBackoff = options.backoffInitial();
    lastProblem = null;
    ResourceType type = ResourceType.of(r.getTypeUrl());
    if (type == null) {
      log.debug("xds: ignoring a response of type {}", r.getTypeUrl());
      return;
    }
    Subscription s = subscriptions.get(type);
    s.nonce = r.getNonce();
    Instant now = clock.instant();
    ConfigAssembler.Assembly assembly;
    XdsState candidate;
    try {
      Map<String, XdsState.Accepted> resources = new LinkedHashMap<>();
      for (Any any : r.getResourcesList()) {
        ResourceTranslator.Translated t = ResourceTranslator.translate(type, any);
        resources.put(t.name(), new XdsState.Accepted(any, t.value(), r.getVersionInfo(), now));
      }
      candidate = state.with(type, resources);
      assembly = ConfigAssembler.assemble(candidate, statics);
      if (assembly.config() != null) {
        logApplied(handoff.apply(assembly.config()));
      }
    } catch (XdsRejection e) {
      nack(s, type, r, e.getMessage());
      return;
    } catch (IllegalArgumentException | IllegalStateException e) {
      nack(s, type, r, "cannot apply: " + e.getMessage());
      return;
    }
    state = candidate;
    waitingFor = assembly.waitingFor();
    s.acceptedVersion = r.getVersionInfo();
    s.rejectedVersion = null;
    log.debug(
        "xds: ACK {} version {} ({} resources){}",
        type.label,
        r.getVersionInfo(),
        r.getResourcesCount(),
        waitingFor.isEmpty() ? "" : "; waiting for " + String.join(", ", waitingFor));
    send(s, null);
    follow(ResourceType.ROUTE, assembly.routeNames());
    follow(ResourceType.ENDPOINT, assembly.endpointNames());
  }

  /** Asks for the routes or endpoints now referred to, when they changed. */
  private void follow(ResourceType type, Set<String> names) {
    Subscription s = subscriptions.get(type);
    if (names.isEmpty() || names.equals(s.names)) {
      return;
    }
    s.names = Set.copyOf(names);
    state = state.retain(type, s.names);
    send(s, null);
  }

  /**
   * NACKs the response. A control plane answers a NACK, which carries the old version, by sending
   * the version it holds again (java-control-plane and go-control-plane both do): the same version
   * is NACKed again only after a growing wait, so that the two do not spin.
   */
  private void nack(Subscription s, ResourceType type, DiscoveryResponse r, String why) {
    lastRejection = type.label + " version " + r.getVersionInfo() + ": " + why;
    if (!r.getVersionInfo().equals(s.rejectedVersion)) {
      s.rejectedVersion = r.getVersionInfo();
      s.renackDelay = options.backoffInitial();
      log.warn(
          "xds: NACK {} version {}: {}; keeping version {}",
          type.label,
          r.getVersionInfo(),
          why,
          s.acceptedVersion.isEmpty() ? "(none)" : s.acceptedVersion);
      send(s, why);
      return;
    }
    Duration wait = s.renackDelay;
    s.renackDelay = min(options.backoffMax(), s.renackDelay.multipliedBy(2));
    int gen = generation;
    String nonce = r.getNonce();
    log.debug(
        "xds: {} version {} sent again; NACK in {} ms",
        type.label,
        r.getVersionInfo(),
        wait.toMillis());
    executor.schedule(
        () -> {
          if (gen == generation && nonce.equals(s.nonce)) {
            send(s, why);
          }
        },
        wait.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private static void logApplied(String summary) {
    if (summary != null) {
      log.info("xds: applied: {}", summary);
    }
  }

  private void send(Subscription s, String errorDetail) {
    if (requests == null) {
      return;
    }
    DiscoveryRequest.Builder b =
        DiscoveryRequest.newBuilder()
            .setNode(bootstrap.node())
            .setTypeUrl(s.type.typeUrl)
            .setVersionInfo(s.acceptedVersion)
            .setResponseNonce(s.nonce)
            .addAllResourceNames(s.names.stream().sorted().toList());
    if (errorDetail != null) {
      b.setErrorDetail(
          com.google.rpc.Status.newBuilder()
              .setCode(Code.INVALID_ARGUMENT_VALUE)
              .setMessage(errorDetail));
    }
    requests.onNext(b.build());
  }

  @Override
  public SourceStatus status() {
    boolean connected = streamUp && channel.getState(false) == ConnectivityState.READY;
    String problem = lastProblem;
    String rejection = lastRejection;
    String where = bootstrap.serverUri();
    String text =
        (connected ? "connected to " : problem != null ? "reconnecting: " : "connecting to ")
            + (problem != null && !connected ? problem : where)
            + (rejection == null ? "" : "; last rejected: " + rejection)
            + (waitingFor.isEmpty() ? "" : "; waiting for " + String.join(", ", waitingFor));
    String notReady = null;
    if (handoff.appliedAt() == null) {
      notReady = "no configuration from the control plane at " + where + " yet";
    } else if (options.readyWhen() == XdsOptions.ReadyWhen.CONNECTED && !connected) {
      notReady = "control plane " + where + " unreachable; serving the last good configuration";
    }
    List<ResourceVersion> resources = new ArrayList<>(statics.versions());
    XdsState s = state;
    for (ResourceType t : ResourceType.values()) {
      for (Map.Entry<String, XdsState.Accepted> e : s.of(t).entrySet()) {
        resources.add(
            new ResourceVersion(
                t.label, e.getKey(), "xds", e.getValue().version(), e.getValue().updated()));
      }
    }
    return new SourceStatus("xds", text, notReady, resources);
  }

  private static Duration jittered(Duration d) {
    // ±20%, so that a fleet does not reconnect in step.
    double f = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
    return Duration.ofMillis(Math.max(1, (long) (d.toMillis() * f)));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Ends the stream and the channel; the proxy keeps the configuration it has. */
  @Override
  public void close() {
    run(
        () -> {
          closed = true;
          if (requests != null) {
            requests.onError(Status.CANCELLED.withDescription("ferry stopping").asException());
          }
        });
    executor.shutdown();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    channel.shutdownNow();
  }
}
