package dev.ferry.cli.call.diagnosis;

import dev.ferry.cli.call.invoke.CallResult;
import dev.ferry.cli.call.transport.ChannelFactory;
import dev.ferry.cli.call.transport.ReceivedBytes;
import dev.ferry.cli.call.transport.Target;
import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the report of a failed call to one target ({@link FailureReport#lines}), so that a
 * one-shot call, a script and the interactive prompt explain a failure in the same words. It opens
 * no connection of its own: a second connection after a failure could be mistaken for the call (by
 * a tap, by the server's logs), so the cause is read from what the call itself saw.
 */
public final class FailureReporter {
  private static final Logger log = LoggerFactory.getLogger(FailureReporter.class);

  private final Target target;
  private final ChannelFactory.Security security;
  private final String tlsName;
  private final Duration deadline;
  private final Duration connectTimeout;
  private ReceivedBytes received = new ReceivedBytes();

  /**
   * @param authority the --authority given, the name a certificate is checked against; null for the
   *     target's host
   * @param deadline the calls' deadline, named in the report; null if none
   * @param connectTimeout the connect timeout, named when a connection timed out; null if unknown
   */
  public FailureReporter(
      Target target,
      ChannelFactory.Security security,
      String authority,
      Duration deadline,
      Duration connectTimeout) {
    this.target = target;
    this.security = security;
    this.tlsName = authority != null ? authority : target.host();
    this.deadline = deadline;
    this.connectTimeout = connectTimeout;
  }

  /** Reads what the calls' connections received first, to name what answered when not HTTP/2. */
  public FailureReporter withReceivedBytes(ReceivedBytes received) {
    this.received = received;
    return this;
  }

  /**
   * The status a call ended with as the user should see it: grpc-java's own, or the gRPC status an
   * intermediary put in the headers of a non-200 reply (nginx's {@code error_page 502 =
   * /error502grpc} answers {@code :status 204} with {@code grpc-status: 14}), which grpc-java
   * reports as UNKNOWN "HTTP status code 204" and grpcio reads as UNAVAILABLE.
   */
  public static Status reported(Status status, Metadata trailers) {
    return IntermediaryReply.of(status, trailers).map(IntermediaryReply::carried).orElse(status);
  }

  public List<String> lines(CallResult result) {
    return lines(
        result.status(), result.trailers(), result.requestSent(), result.headersReceived());
  }

  public List<String> lines(
      Status status, Metadata trailers, boolean requestSent, boolean headersReceived) {
    return lines(status, trailers, requestSent, headersReceived, false);
  }

  /** The report of a failed server-reflection lookup of the schema, which preceded any call. */
  public List<String> schemaLookupLines(Status status, Metadata trailers) {
    return lines(status, trailers, false, false, true);
  }

  private List<String> lines(
      Status status,
      Metadata trailers,
      boolean requestSent,
      boolean headersReceived,
      boolean schemaLookup) {
    // The whole chain, for --log-level debug: the report below names only its cause.
    log.debug("call to {} failed: {}", target, status, status.getCause());
    FailureDiagnosis.Context context =
        new FailureDiagnosis.Context(
            target,
            security,
            tlsName,
            deadline,
            connectTimeout,
            received.first(),
            requestSent,
            headersReceived,
            schemaLookup);
    return FailureReport.lines(status, trailers, context);
  }
}
