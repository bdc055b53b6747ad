package dev.ferry.cli.call.diagnosis;

import dev.ferry.cli.call.transport.Target;
import io.grpc.InternalStatus;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reply whose HTTP status is not 200 but whose headers carry a grpc-status: an intermediary (a
 * proxy, a load balancer) answering for the backend, as nginx's {@code error_page 502 =
 * /error502grpc} recipe does with {@code :status 204}.
 */
record IntermediaryReply(String httpStatus, Status carried) {
  /** grpc-java's description of a reply with another HTTP status than 200. */
  private static final Pattern HTTP_STATUS = Pattern.compile("^HTTP status code (\\d+)");

  static Optional<IntermediaryReply> of(Status status, Metadata trailers) {
    String description = status.getDescription();
    if (description == null || trailers == null) {
      return Optional.empty();
    }
    Matcher http = HTTP_STATUS.matcher(description);
    Status carried = trailers.get(InternalStatus.CODE_KEY);
    if (!http.find() || http.group(1).equals("200") || carried == null) {
      return Optional.empty();
    }
    String message = trailers.get(InternalStatus.MESSAGE_KEY);
    return Optional.of(new IntermediaryReply(http.group(1), carried.withDescription(message)));
  }

  String explanation(Target target) {
    return "an intermediary in front of the service answered for it with HTTP "
        + httpStatus
        + " and grpc-status "
        + carried.getCode().value()
        + " in its headers (the nginx error_page pattern): the call to "
        + target
        + " most likely never reached the backend";
  }
}
