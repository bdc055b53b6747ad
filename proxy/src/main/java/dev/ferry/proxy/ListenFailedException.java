package dev.ferry.proxy;

import io.netty.channel.unix.Errors;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * A listener or the admin listener could not bind its address: which one, where, and why, as fields
 * a caller decides on rather than text it has to match.
 */
public final class ListenFailedException extends IOException {
  /** Which listener failed. */
  public enum Role {
    /** One of {@code listeners:} (or {@code --listen}). */
    LISTENER,
    /** The {@code admin:} listener. */
    ADMIN
  }

  /** Why it failed, as far as ferry can tell. */
  public enum Problem {
    /**
     * Another socket holds the address (a server, or connections in TIME_WAIT), or a process
     * listens on the Unix socket file.
     */
    ADDRESS_IN_USE,
    /** The host is neither a valid IP address nor a name that resolves. */
    NOT_RESOLVED,
    /** The address is valid but belongs to no interface of this machine. */
    NOT_LOCAL,
    /** Anything else: the cause says what. */
    OTHER
  }

  // The errno of EADDRINUSE on Linux, the only platform with the epoll transport, which reports
  // it as a NativeIoException rather than a BindException.
  private static final int EADDRINUSE_NEGATIVE = -98;

  private final String host;
  private final int port;
  private final Path socket;
  private final Role role;
  private final Problem problem;

  private ListenFailedException(
      String host, int port, Role role, Problem problem, String detail, Throwable cause) {
    this(NetUtil.toSocketAddressString(host, port), host, port, null, role, problem, detail, cause);
  }

  private ListenFailedException(
      String address,
      String host,
      int port,
      Path socket,
      Role role,
      Problem problem,
      String detail,
      Throwable cause) {
    super(
        "cannot listen on " + address + (role == Role.ADMIN ? " (admin)" : "") + ": " + detail,
        cause);
    this.host = host;
    this.port = port;
    this.socket = socket;
    this.role = role;
    this.problem = problem;
  }

  /**
   * A listener on the Unix socket {@code socket} could not listen: {@code detail} says why, naming
   * the file where that helps.
   *
   * @param cause the exception behind it, or {@code null} when ferry decided on its own
   */
  public static ListenFailedException unix(
      Path socket, Problem problem, String detail, Throwable cause) {
    return new ListenFailedException(
        "unix:" + socket, null, 0, socket, Role.LISTENER, problem, detail, cause);
  }

  /** Why binding {@code host:port} for {@code role} failed with {@code cause}. */
  public static ListenFailedException of(String host, int port, Role role, Throwable cause) {
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      return new ListenFailedException(
          host,
          port,
          role,
          Problem.NOT_RESOLVED,
          "'" + host + "' is not a valid IP address, nor a host name that resolves",
          cause);
    }
    if (!isLocal(address)) {
      return new ListenFailedException(
          host,
          port,
          role,
          Problem.NOT_LOCAL,
          address.getHostAddress() + " is not an address of this machine",
          cause);
    }
    if (inUse(cause)) {
      return new ListenFailedException(
          host, port, role, Problem.ADDRESS_IN_USE, "the address is already in use", cause);
    }
    String detail =
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new ListenFailedException(host, port, role, Problem.OTHER, detail, cause);
  }

  private static boolean isLocal(InetAddress a) {
    if (a.isAnyLocalAddress() || a.isLoopbackAddress()) {
      return true;
    }
    try {
      return NetworkInterface.getByInetAddress(a) != null;
    } catch (SocketException e) {
      return true; // cannot tell: let the bind's own cause speak
    }
  }

  private static boolean inUse(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof BindException
          || (t instanceof Errors.NativeIoException n && n.expectedErr() == EADDRINUSE_NEGATIVE)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The host as configured: a name or an IP literal, IPv6 without brackets; {@code null} for a Unix
   * socket.
   */
  public String host() {
    return host;
  }

  /** The port; 0 for a Unix socket. */
  public int port() {
    return port;
  }

  /** The Unix socket file that could not be listened on, or {@code null} for TCP. */
  public Path socket() {
    return socket;
  }

  public Role role() {
    return role;
  }

  public Problem problem() {
    return problem;
  }
}
