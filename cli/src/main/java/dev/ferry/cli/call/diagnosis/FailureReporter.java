package dev.ferry.cli.call.diagnosis;

import dev.ferry.cli.call.invoke.CallResult;
import dev.ferry.cli.call.transport.ChannelFactory;
import dev.ferry.cli.call.transport.Target;
import dev.ferry.cli.call.transport.TlsProbe;
import io.grpc.Metadata;
import io.grpc.Status;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Builds the report of a failed call to one target ({@link FailureReport#lines}), so that a
 * one-shot call, a script and the interactive prompt explain a failure in the same words.
 */
public final class FailureReporter {
  private final Target target;
  private final ChannelFactory.Security security;
  private final Duration deadline;
  private final Duration probeTimeout;

  /**
   * @param deadline the calls' deadline, named in the report; null if none
   * @param probeTimeout how long to try a TLS handshake after plaintext failed before any answer,
   *     to say that the port wants TLS; null to not try
   */
  public FailureReporter(
      Target target, ChannelFactory.Security security, Duration deadline, Duration probeTimeout) {
    this.target = target;
    this.security = security;
    this.deadline = deadline;
    this.probeTimeout = probeTimeout;
  }

  public List<String> lines(CallResult result) {
    return lines(
        result.status(), result.trailers(), result.requestSent(), result.headersReceived());
  }

  public List<String> lines(
      Status status, Metadata trailers, boolean requestSent, boolean headersReceived) {
    FailureDiagnosis.Context context =
        new FailureDiagnosis.Context(
            target,
            security,
            deadline,
            requestSent,
            headersReceived,
            !security.tls() && !headersReceived && speaksTls(status));
    return FailureReport.lines(status, trailers, context);
  }

  /** After plaintext failed before any answer: was it because the port wants TLS? */
  private boolean speaksTls(Status status) {
    if (probeTimeout == null
        || (status.getCode() != Status.Code.UNAVAILABLE
            && status.getCode() != Status.Code.INTERNAL)) {
      return false;
    }
    try {
      return TlsProbe.probe(target, probeTimeout) == TlsProbe.Result.TLS;
    } catch (IOException e) {
      return false;
    }
  }
}
