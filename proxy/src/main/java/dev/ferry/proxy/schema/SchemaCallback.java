package dev.ferry.proxy.schema;

import dev.ferry.proxy.status.ProxyStatus;

/** Where a schema lookup ends: once, on the event loop that asked. */
public interface SchemaCallback {
  void found(MethodSchema method);

  /** No schema: why, as the status the call that needed it ends with. */
  void failed(ProxyStatus why);
}
