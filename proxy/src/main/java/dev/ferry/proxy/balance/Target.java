package dev.ferry.proxy.balance;

/** What a balancer needs to know of an endpoint. */
public interface Target {
  /** A stable name for hashing, such as {@code 127.0.0.1:50052}. */
  String key();

  /** The share under weighted round robin; at least 1. */
  int weight();

  /** Calls running on this endpoint now (from this event loop). */
  int inFlight();
}
