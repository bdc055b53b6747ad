package dev.ferry.testservers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * One running instance of an example backend (greeter or daininki) on one port. Build with {@link
 * #builder}, stop with {@link #close}.
 */
public final class ExampleServer implements AutoCloseable {

  /** Which example service an instance offers. */
  public enum Kind {
    GREETER,
    DAININKI
  }

  public static Builder builder(Kind kind) {
    return new Builder(kind);
  }

  /** The address actually bound (port 0 resolved). */
  public InetSocketAddress address() {
    throw new UnsupportedOperationException();
  }

  /** The name this instance puts in {@code served_by}: {@code daininki@<port>} unless set. */
  public String id() {
    throw new UnsupportedOperationException();
  }

  /** Sets what grpc.health.v1 answers for the whole server and for this instance's service. */
  public void setServing(boolean serving) {
    throw new UnsupportedOperationException();
  }

  /** Stops accepting calls, cancels those still running, and waits until the port is free. */
  @Override
  public void close() {
    throw new UnsupportedOperationException();
  }

  /** Options of one instance. */
  public static final class Builder {
    private final Kind kind;

    private Builder(Kind kind) {
      this.kind = kind;
    }

    /** The address to bind; 127.0.0.1 unless set. */
    public Builder host(String host) {
      return this;
    }

    /** The port; 0 picks a free one. */
    public Builder port(int port) {
      return this;
    }

    /** The name in {@code served_by}; {@code <kind>@<port>} unless set. */
    public Builder id(String id) {
      return this;
    }

    /** Serve TLS with this PEM certificate chain and PEM private key. */
    public Builder tls(Path certChain, Path privateKey) {
      return this;
    }

    /** Receives one line per call (method, status, duration); none unless set. */
    public Builder callLog(Consumer<String> callLog) {
      return this;
    }

    /** Binds and starts serving; an {@link IOException} names the address when it is taken. */
    public ExampleServer start() throws IOException {
      throw new UnsupportedOperationException();
    }
  }
}
