package dev.ferry.cli.call.diagnosis;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.DebugInfo;
import com.google.rpc.ErrorInfo;
import com.google.rpc.Help;
import com.google.rpc.LocalizedMessage;
import com.google.rpc.PreconditionFailure;
import com.google.rpc.QuotaFailure;
import com.google.rpc.RequestInfo;
import com.google.rpc.ResourceInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes {@code grpc-status-details-bin}: a google.rpc.Status whose details are the standard error
 * messages (ErrorInfo, RetryInfo, BadRequest, DebugInfo, ...), one line each.
 */
final class ErrorDetails {
  private static final Map<String, Message> KNOWN =
      Map.of(
          "google.rpc.ErrorInfo", ErrorInfo.getDefaultInstance(),
          "google.rpc.RetryInfo", RetryInfo.getDefaultInstance(),
          "google.rpc.DebugInfo", DebugInfo.getDefaultInstance(),
          "google.rpc.QuotaFailure", QuotaFailure.getDefaultInstance(),
          "google.rpc.PreconditionFailure", PreconditionFailure.getDefaultInstance(),
          "google.rpc.BadRequest", BadRequest.getDefaultInstance(),
          "google.rpc.RequestInfo", RequestInfo.getDefaultInstance(),
          "google.rpc.ResourceInfo", ResourceInfo.getDefaultInstance(),
          "google.rpc.Help", Help.getDefaultInstance(),
          "google.rpc.LocalizedMessage", LocalizedMessage.getDefaultInstance());

  private ErrorDetails() {}

  /** One line per detail, like {@code ErrorInfo { reason: "QUOTA" domain: "x" }}; may be empty. */
  static List<String> lines(Status status, Metadata trailers) {
    List<String> lines = new ArrayList<>();
    com.google.rpc.Status details;
    try {
      details = StatusProto.fromStatusAndTrailers(status, trailers);
    } catch (RuntimeException e) {
      return List.of("grpc-status-details-bin could not be decoded: " + e.getMessage());
    }
    if (details == null) {
      return lines;
    }
    for (Any any : details.getDetailsList()) {
      lines.add(line(any));
    }
    return lines;
  }

  private static String line(Any any) {
    String type = any.getTypeUrl().substring(any.getTypeUrl().lastIndexOf('/') + 1);
    Message prototype = KNOWN.get(type);
    String shortName = type.substring(type.lastIndexOf('.') + 1);
    if (prototype == null) {
      return type + " (" + any.getValue().size() + " bytes, not decoded)";
    }
    try {
      Message detail = prototype.getParserForType().parseFrom(any.getValue());
      return shortName + " { " + TextFormat.printer().shortDebugString(detail) + " }";
    } catch (InvalidProtocolBufferException e) {
      return shortName + " (broken: " + e.getMessage() + ")";
    }
  }
}
