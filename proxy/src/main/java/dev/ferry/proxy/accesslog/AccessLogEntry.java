package dev.ferry.proxy.accesslog;

import java.net.SocketAddress;
import java.util.List;

/**
 * What the access log records of one finished call or request.
 *
 * @param startMillis when the request's headers arrived, epoch milliseconds
 * @param client the client's address
 * @param httpMethod {@code POST}, {@code GET}, ...
 * @param path the request path, such as {@code /helloworld.Greeter/SayHello}
 * @param authority the {@code :authority} or {@code Host}, or {@code null}
 * @param protocol {@code HTTP/2} or {@code HTTP/1.1}
 * @param grpc whether the request was gRPC (content-type application/grpc*)
 * @param httpStatus the response's HTTP status, 0 when the stream ended without one
 * @param grpcStatus the gRPC status from the trailers or a Trailers-Only response; -1 when none
 * @param upstream the endpoint that served the call ({@code 127.0.0.1:50052}), or {@code null}
 * @param localReply why the proxy answered itself, its wire name, or {@code null}
 * @param bytesIn request body bytes received from the client
 * @param bytesOut response body bytes sent to the client
 * @param durationNanos from request headers to the end of the response
 * @param clientSubject the subject of the client's verified TLS certificate, or {@code null}
 * @param reason why the call ended, the wire name of a {@code LocalReplyReason} ({@code ok}, {@code
 *     upstream}, {@code client_cancelled}, {@code no_route}, ...), or {@code null} when unknown
 * @param detail what happened, for a person, or {@code null} when there is nothing to add (a call
 *     that ended {@code ok})
 * @param attempts every try, when the call tried more than one endpoint or its only try failed;
 *     {@code null} otherwise ({@code upstream} then says it all)
 * @param bridge the protocol the client spoke when a bridge translated it to gRPC ({@code
 *     grpc-web}, {@code grpc-web-text}), or {@code null} for gRPC and HTTP spoken directly
 */
public record AccessLogEntry(
    long startMillis,
    SocketAddress client,
    String httpMethod,
    String path,
    String authority,
    String protocol,
    boolean grpc,
    int httpStatus,
    int grpcStatus,
    String upstream,
    String localReply,
    long bytesIn,
    long bytesOut,
    long durationNanos,
    String clientSubject,
    String reason,
    String detail,
    List<UpstreamAttempt> attempts,
    String bridge) {}
