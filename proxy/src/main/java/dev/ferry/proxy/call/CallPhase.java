package dev.ferry.proxy.call;

/**
 * Where a call is in its life, and the moves between phases it may make:
 *
 * <pre>
 * ADMITTING ─admitted─▶ CONNECTING ─stream open─▶ AWAITING_RESPONSE ─headers─▶ STREAMING
 *                           ▲                        │         │                 ▲
 *                           │  refused stream, or a  │         │ retryable       │ a message,
 *                           ├─ status to retry ◀─────┘         ▼ route           │ or trailers
 *                           └─ status to retry ◀────── HOLDING_FOR_RETRY ────────┘
 * </pre>
 *
 * Every phase may end in DONE: refused at admission, no endpoint left, deadline, reset, a message
 * too large, the client gone, or the end of the response. A call's phase changes only in {@link
 * ProxyCall#moveTo}, which holds every move to {@link #mayFollow}.
 */
enum CallPhase {
  ADMITTING,
  CONNECTING,
  AWAITING_RESPONSE,
  HOLDING_FOR_RETRY,
  STREAMING,
  DONE;

  /** Whether a call may move to this phase from {@code from}: the arrows of the diagram above. */
  boolean mayFollow(CallPhase from) {
    return switch (this) {
      case ADMITTING -> false;
      case CONNECTING -> from != STREAMING && from != DONE;
      case AWAITING_RESPONSE -> from == CONNECTING;
      case HOLDING_FOR_RETRY -> from == AWAITING_RESPONSE;
      case STREAMING -> from == AWAITING_RESPONSE || from == HOLDING_FOR_RETRY;
      case DONE -> from != DONE;
    };
  }
}
