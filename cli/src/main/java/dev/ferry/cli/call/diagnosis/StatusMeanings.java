package dev.ferry.cli.call.diagnosis;

import io.grpc.Status;
import java.util.EnumMap;
import java.util.Map;

/** What each gRPC status code usually means, in one sentence a developer can act on. */
final class StatusMeanings {
  private static final Map<Status.Code, String> MEANINGS = new EnumMap<>(Status.Code.class);

  static {
    MEANINGS.put(Status.Code.OK, "the call succeeded");
    MEANINGS.put(Status.Code.CANCELLED, "the call was cancelled, usually by the client");
    MEANINGS.put(
        Status.Code.UNKNOWN,
        "the server failed without saying why (often an uncaught exception in the handler)");
    MEANINGS.put(
        Status.Code.INVALID_ARGUMENT,
        "the request itself is wrong; fix the request, a retry will fail the same way");
    MEANINGS.put(
        Status.Code.DEADLINE_EXCEEDED,
        "the call's deadline passed before it finished; raise --deadline or see what is slow");
    MEANINGS.put(Status.Code.NOT_FOUND, "the thing the request names does not exist");
    MEANINGS.put(Status.Code.ALREADY_EXISTS, "the thing the request wants to create exists");
    MEANINGS.put(
        Status.Code.PERMISSION_DENIED,
        "the caller is known but not allowed to do this (check the credentials' rights or an ACL)");
    MEANINGS.put(
        Status.Code.RESOURCE_EXHAUSTED,
        "a limit was hit: a quota, a rate limit, or a message size limit");
    MEANINGS.put(
        Status.Code.FAILED_PRECONDITION,
        "the system is not in a state that allows this call; fix the state before retrying");
    MEANINGS.put(Status.Code.ABORTED, "the call lost a race (a conflict); retrying may succeed");
    MEANINGS.put(Status.Code.OUT_OF_RANGE, "the request asked for something past a valid range");
    MEANINGS.put(
        Status.Code.UNIMPLEMENTED,
        "the server does not offer this method (wrong service or method name, or wrong server)");
    MEANINGS.put(
        Status.Code.INTERNAL,
        "something broke inside the server or in the protocol between client and server");
    MEANINGS.put(
        Status.Code.UNAVAILABLE,
        "the service could not be reached or is not serving now; a retry with backoff may succeed");
    MEANINGS.put(Status.Code.DATA_LOSS, "data was lost or corrupted");
    MEANINGS.put(
        Status.Code.UNAUTHENTICATED,
        "the call carries no valid credentials (a missing or expired token: see -H)");
  }

  private StatusMeanings() {}

  static String of(Status.Code code) {
    return MEANINGS.get(code);
  }
}
