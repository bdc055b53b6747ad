// A gRPC-Web client on fetch(), binary (application/grpc-web+proto), per grpc/grpc
// doc/PROTOCOL-WEB.md. The request is one frame: a flag byte (0), the message's length (4 bytes,
// big-endian), the message. The response is a frame per reply as the server sends it, then a
// trailer frame (flag 0x80) of "name:value\r\n" lines with grpc-status and grpc-message. An answer
// with no reply at all may instead be Trailers-Only: its status is in the response headers.

/** The names of the status codes, by code (grpc/grpc doc/statuscodes.md). */
export const STATUS_NAMES = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE',
  'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
];

/** An answer without grpc-status, from something that is not gRPC (grpc/grpc doc/http-grpc-status-mapping.md). */
const HTTP_STATUS_CODES = {400: 13, 401: 16, 403: 7, 404: 12, 429: 14, 502: 14, 503: 14, 504: 14};

const TRAILER_FLAG = 0x80;

/**
 * Calls method (such as 'helloworld.Greeter/SayHello') at the proxy's origin with one request
 * message, given as bytes; hands each reply's bytes to onMessage as it arrives, and resolves to the
 * call's status, {code, name, message}. Rejects when there is no answer to read: the proxy is
 * down, refused this page's origin, or the connection broke.
 */
export async function call(proxy, method, request, {headers = {}, onMessage}) {
  const response = await fetch(proxy + '/' + method, {
    method: 'POST',
    headers: {'content-type': 'application/grpc-web+proto', 'x-grpc-web': '1', ...headers},
    body: frame(request),
  });
  let trailers = response.headers;
  for await (const [flags, payload] of frames(response.body)) {
    if (flags & TRAILER_FLAG) {
      trailers = headerLines(payload);
    } else {
      onMessage(payload);
    }
  }
  const code = trailers.get('grpc-status');
  if (code == null) {
    return status(HTTP_STATUS_CODES[response.status] ?? 2, 'HTTP ' + response.status + ' without grpc-status');
  }
  // grpc-message is percent-encoded, so that any text fits in a header.
  return status(Number(code), decodeURIComponent(trailers.get('grpc-message') ?? ''));
}

function status(code, message) {
  return {code, name: STATUS_NAMES[code] ?? 'code ' + code, message};
}

function frame(message) {
  const bytes = new Uint8Array(5 + message.length);
  new DataView(bytes.buffer).setUint32(1, message.length);
  bytes.set(message, 5);
  return bytes;
}

/**
 * The frames of a response body as [flags, payload], each as soon as its last byte arrives: the
 * network cuts the body where it likes, so a frame may span reads and a read may hold several.
 */
async function* frames(body) {
  const reader = body.getReader();
  let pending = new Uint8Array(0);
  for (;;) {
    const {value, done} = await reader.read();
    if (done) break;
    const joined = new Uint8Array(pending.length + value.length);
    joined.set(pending);
    joined.set(value, pending.length);
    pending = joined;
    while (pending.length >= 5) {
      const length = new DataView(pending.buffer, pending.byteOffset).getUint32(1);
      if (pending.length < 5 + length) break;
      yield [pending[0], pending.subarray(5, 5 + length)];
      pending = pending.subarray(5 + length);
    }
  }
  if (pending.length > 0) throw new Error('gRPC-Web: the answer ended inside a frame');
}

/** A trailer frame's lines, by lower-case name: a Map, read with get() as the headers are. */
function headerLines(payload) {
  const fields = new Map();
  for (const line of new TextDecoder().decode(payload).split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return fields;
}
