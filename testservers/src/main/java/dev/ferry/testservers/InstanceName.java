package dev.ferry.testservers;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;

/**
 * The name an instance puts in {@code served_by} and in its call log: the configured id, else
 * {@code <prefix>@<port>} ({@code <prefix>@<file name>} on a Unix socket), the prefix being the
 * kind ({@code greeter}) unless set.
 *
 * <p>The port is read from each call's local address rather than stored after binding, so that a
 * call arriving the instant the port opens is already named correctly.
 */
final class InstanceName implements ServerInterceptor {
  private static final Context.Key<String> CONTEXT_KEY = Context.key("ferry-served-by");

  private final String id;
  private final String prefix;

  /**
   * @param id the configured name, or null for {@code <prefix>@<port>}
   * @param prefix the part before the port in the default name, such as {@code greeter}
   */
  InstanceName(String id, String prefix) {
    this.id = id;
    this.prefix = prefix;
  }

  /** The name of the instance serving the call running on this thread. */
  static String current() {
    return CONTEXT_KEY.get();
  }

  /** The name of an instance listening on {@code local}. */
  String forAddress(SocketAddress local) {
    if (id != null) {
      return id;
    }
    if (local instanceof DomainSocketAddress socket) {
      return prefix + "@" + Path.of(socket.path()).getFileName();
    }
    return prefix + "@" + (local instanceof InetSocketAddress inet ? inet.getPort() : 0);
  }

  String of(ServerCall<?, ?> call) {
    return forAddress(call.getAttributes().get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR));
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    Context named = Context.current().withValue(CONTEXT_KEY, of(call));
    return Contexts.interceptCall(named, call, headers, next);
  }
}
