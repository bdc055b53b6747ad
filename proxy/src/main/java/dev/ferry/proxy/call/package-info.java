/**
 * One proxied call: the stream from the client tied to the stream to the backend, and its replies.
 *
 * <p>Backpressure, end to end (the invariant that keeps memory bounded by configuration):
 *
 * <pre>
 *  client ──DATA──▶ DownstreamHttp2Handler ─RequestPump─▶ H2UpstreamConnection ──DATA──▶ backend
 *     ▲                 onDataRead returns 0                writeData(promise)            │
 *     └──WINDOW_UPDATE── consume(n) ◀───────── promise completes: bytes left the proxy ◀──┘
 * </pre>
 *
 * A DATA frame's bytes are acknowledged to the side that sent them only when the other side's write
 * of those very buffers has completed. A peer that stops reading therefore stops its counterpart
 * after one stream window ({@code Http2Tuning.STREAM_WINDOW}); the proxy never holds more than that
 * per stream and direction. The same holds from backend to client, and for HTTP/1.1 sides with TCP
 * backpressure (auto-read off) standing in for windows ({@code ResponsePump} is the way back).
 *
 * <p>A call's life is one phase ({@code CallPhase}) that only {@code ProxyCall} changes; each try
 * on a backend is an {@code UpstreamExchange}; admission, attempts, the two pumps, the local reply
 * and the call's record each have a class.
 */
package dev.ferry.proxy.call;
