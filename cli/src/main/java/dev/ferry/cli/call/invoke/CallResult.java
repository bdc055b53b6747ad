package dev.ferry.cli.call.invoke;

import com.google.protobuf.DynamicMessage;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.List;

/**
 * How a call ended: its status and trailers, whether its request headers went out (so its stream
 * was open), whether response headers arrived (the call reached a server), and the messages
 * received.
 */
public record CallResult(
    Status status,
    Metadata headers,
    Metadata trailers,
    boolean requestSent,
    boolean headersReceived,
    List<DynamicMessage> responses) {}
