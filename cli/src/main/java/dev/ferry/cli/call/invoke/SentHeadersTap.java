package dev.ferry.cli.call.invoke;

import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers;
import io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLogLevel;
import io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLogger;
import io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLoggerFactory;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * For {@code -v}: catches the request HEADERS frames exactly as grpc-java's Netty transport writes
 * them, pseudo-headers and the transport's own headers included, so that ferry shows what was sent
 * rather than what it thinks grpc-java sends.
 *
 * <p>grpc-java logs every frame it writes through a Netty {@code Http2FrameLogger} on the logger of
 * {@code NettyClientHandler}, at DEBUG; with SLF4J on the class path (ours: slf4j-simple, off for
 * io.grpc) that logger is an SLF4J one, off and fixed at start, so a JUL handler would see nothing.
 * The tap therefore wraps Netty's logger factory, which is process-wide by Netty's design (hence
 * the static state here): while a tap is open, a connection's frame logger is made a wrapper that
 * hands each outbound HEADERS frame's {@link Http2Headers} object to the calls waiting for it.
 * Connections opened while no tap is open keep the plain logger, so calls without {@code -v} and
 * load mode pay nothing.
 */
public final class SentHeadersTap implements AutoCloseable {
  /** The logger Netty's HTTP/2 frame logger of grpc-java's client transport asks for. */
  static final String FRAME_LOGGER = "io.grpc.netty.shaded.io.grpc.netty.NettyClientHandler";

  private static final AtomicInteger OPEN = new AtomicInteger();
  private static final List<Expected> EXPECTED = new CopyOnWriteArrayList<>();
  private static boolean installed;

  /** The request headers of one stream, in the order they were encoded. */
  record SentHeaders(int streamId, List<Map.Entry<String, String>> headers) {}

  /** One call waiting for its request headers to be written. */
  static final class Expected {
    private final String path;
    private final Consumer<SentHeaders> onSent;
    private final CompletableFuture<SentHeaders> sent = new CompletableFuture<>();
    // Claimed once, by the frame or by giving up, so that exactly one of the two is printed.
    private final AtomicBoolean claimed = new AtomicBoolean();

    private Expected(String path, Consumer<SentHeaders> onSent) {
      this.path = path;
      this.onSent = onSent;
    }

    /** Completes after {@code onSent} has run. */
    CompletableFuture<SentHeaders> sent() {
      return sent;
    }

    /**
     * Stops waiting; false if the headers were written meanwhile ({@link #sent()} then completes
     * once {@code onSent} has run).
     */
    boolean giveUp() {
      EXPECTED.remove(this);
      return claimed.compareAndSet(false, true);
    }

    private void written(SentHeaders headers) {
      if (claimed.compareAndSet(false, true)) {
        EXPECTED.remove(this);
        try {
          onSent.accept(headers);
        } finally {
          sent.complete(headers);
        }
      }
    }
  }

  private boolean closed;

  private SentHeadersTap() {}

  /** Opens a tap; it sees the connections opened from now until it is closed. */
  public static SentHeadersTap open() {
    install();
    OPEN.incrementAndGet();
    return new SentHeadersTap();
  }

  /**
   * Waits for the next HEADERS frame written for {@code path}: {@code onSent} runs on the
   * transport's thread as the frame is written (before any answer to it can be read), then the
   * future completes. {@link Expected#giveUp()} stops waiting.
   */
  Expected expect(String path, Consumer<SentHeaders> onSent) {
    Expected expected = new Expected(path, onSent);
    EXPECTED.add(expected);
    return expected;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      OPEN.decrementAndGet();
    }
  }

  private static synchronized void install() {
    if (!installed) {
      InternalLoggerFactory.setDefaultFactory(
          new TappingLoggerFactory(InternalLoggerFactory.getDefaultFactory()));
      installed = true;
    }
  }

  /** Called by a wrapped frame logger for every frame it would log at DEBUG. */
  private static void frame(String format, Object[] args) {
    if (!format.contains(" HEADERS:")
        || args.length < 4
        || !"OUTBOUND".equals(args[1])
        || !(args[3] instanceof Http2Headers headers)) {
      return;
    }
    // Copied now: the frame is being encoded on the event loop, and the object is not ours.
    List<Map.Entry<String, String>> copy = new ArrayList<>();
    String path = null;
    for (Map.Entry<CharSequence, CharSequence> e : headers) {
      String name = e.getKey().toString();
      String value = e.getValue().toString();
      copy.add(Map.entry(name, value));
      if (name.equals(":path")) {
        path = value;
      }
    }
    SentHeaders sent = new SentHeaders((Integer) args[2], List.copyOf(copy));
    for (Expected expected : EXPECTED) {
      if (expected.path.equals(path)) {
        expected.written(sent);
        return;
      }
    }
  }

  /** Netty's logger factory with the frame logger of new connections tapped while a tap is open. */
  private static final class TappingLoggerFactory extends InternalLoggerFactory {
    private final InternalLoggerFactory delegate;
    private final Method newInstance;

    TappingLoggerFactory(InternalLoggerFactory delegate) {
      this.delegate = delegate;
      try {
        // Protected in Netty, and the delegate is not of our class: reached by reflection.
        newInstance = InternalLoggerFactory.class.getDeclaredMethod("newInstance", String.class);
        newInstance.setAccessible(true);
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    protected InternalLogger newInstance(String name) {
      InternalLogger logger;
      try {
        logger = (InternalLogger) newInstance.invoke(delegate, name);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException(e);
      }
      if (!name.equals(FRAME_LOGGER) || OPEN.get() == 0) {
        return logger;
      }
      return (InternalLogger)
          Proxy.newProxyInstance(
              InternalLogger.class.getClassLoader(),
              new Class<?>[] {InternalLogger.class},
              new TappedLogger(logger));
    }
  }

  /**
   * A frame logger that says DEBUG is on while a call waits for its headers (so that Netty hands
   * over the frame), and passes everything on to the real logger as it would have been.
   */
  private record TappedLogger(InternalLogger delegate) implements InvocationHandler {
    @Override
    public Object invoke(Object proxy, Method method, Object[] a) throws Throwable {
      boolean waiting = !EXPECTED.isEmpty();
      switch (method.getName()) {
        case "isEnabled" -> {
          if (waiting && a[0] == InternalLogLevel.DEBUG) {
            return true;
          }
        }
        case "isDebugEnabled" -> {
          if (waiting) {
            return true;
          }
        }
        case "log" -> {
          if (a.length == 3 && a[0] == InternalLogLevel.DEBUG && a[2] instanceof Object[] args) {
            frame((String) a[1], args);
            if (!delegate.isDebugEnabled()) {
              return null;
            }
          }
        }
        case "debug" -> {
          if (a.length == 2 && a[1] instanceof Object[] args) {
            frame((String) a[0], args);
            if (!delegate.isDebugEnabled()) {
              return null;
            }
          }
        }
        default -> {}
      }
      try {
        return method.invoke(delegate, a);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }
}
