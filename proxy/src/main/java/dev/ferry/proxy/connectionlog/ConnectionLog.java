package dev.ferry.proxy.connectionlog;

import io.netty.channel.Channel;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener's log of connections that end without a call (a failed TLS handshake, the wrong
 * protocol, an abuse limit, a timeout): at most one line per connection, naming the connection
 * first, and per kind at most a burst of lines and then one every few seconds, so that a flood of
 * bad connections cannot flood the log. The next line allowed after a suppression says how many
 * similar lines were left out. It travels on each connection's channel, so a handler anywhere in
 * the pipeline reports through {@link #report} without being handed it.
 */
public final class ConnectionLog {
  private static final Logger log = LoggerFactory.getLogger(ConnectionLog.class);
  private static final AttributeKey<ConnectionLog> LOG = AttributeKey.valueOf("ferry.connLog");
  private static final AttributeKey<Boolean> REPORTED = AttributeKey.valueOf("ferry.connLogged");

  /** Lines of one kind allowed at once. */
  static final int BURST = 10;

  /** After the burst, one more line of a kind per this interval: ten a minute. */
  static final long REFILL_NANOS = TimeUnit.SECONDS.toNanos(6);

  private final Map<ConnectionEvent, LogBudget> budgets = new EnumMap<>(ConnectionEvent.class);

  /** A log whose rate limits run on {@code nanoClock} ({@code System::nanoTime} in production). */
  public ConnectionLog(LongSupplier nanoClock) {
    for (ConnectionEvent e : ConnectionEvent.values()) {
      budgets.put(e, new LogBudget(BURST, REFILL_NANOS, nanoClock));
    }
  }

  /**
   * Makes this the log of {@code ch}'s reports and of the connections it accepts: the listener
   * attaches it to its listening channel, the parent of every connection, so that a connection
   * carries no attribute of its own until it reports.
   */
  public void attach(Channel ch) {
    Attribute<ConnectionLog> a = ch.attr(LOG);
    if (a.get() != this) {
      a.set(this);
    }
  }

  /** The log attached to {@code ch} or to the nearest channel it was accepted by, or null. */
  private static ConnectionLog logOf(Channel ch) {
    for (Channel c = ch; c != null; c = c.parent()) {
      if (c.hasAttr(LOG)) {
        return c.attr(LOG).get();
      }
    }
    return null;
  }

  /**
   * Logs why {@code ch} ends or was cut off, unless a line for it was logged already or the kind's
   * rate limit holds it back. A channel without a listener's log (a handler under test) logs
   * without a rate limit.
   *
   * @param detail what happened, for a person: {@code "PING flood: more than 10000 frames in 10s"}
   */
  public static void report(Channel ch, ConnectionEvent event, String detail) {
    if (ch.attr(REPORTED).setIfAbsent(Boolean.TRUE) != null) {
      return; // one line per connection: the first cause is the one that matters
    }
    ConnectionLog owner = logOf(ch);
    long suppressed = owner == null ? 0 : owner.budgets.get(event).take();
    if (suppressed < 0 || !log.isEnabledForLevel(event.level())) {
      return;
    }
    String line =
        suppressed == 0 ? detail : detail + " (" + suppressed + " similar lines suppressed)";
    log.atLevel(event.level()).log("{} {}", ch, line);
  }
}
