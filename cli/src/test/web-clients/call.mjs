// One call through a bridge with connect-node, the Connect project's client for Node.js:
//   node call.mjs PROTOCOL HTTP_VERSION BASE_URL DESCRIPTOR_SET SERVICE METHOD REQUEST_JSON HEADERS_JSON [TIMEOUT_MS]
// PROTOCOL is grpc-web or connect; the schema comes from a FileDescriptorSet file (no generated
// code). Prints one JSON line per response message, then {"code":"ok"} or the error's code and
// message, and exits 0 either way: the test reads the lines.
import { readFileSync } from "node:fs";
import { createClient, ConnectError, Code } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { createFileRegistry, fromBinary, toJson } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";

const [protocol, httpVersion, baseUrl, descriptors, service, method, request, headers, timeoutMs] =
  process.argv.slice(2);
const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(descriptors)));
const desc = registry.getService(service);
const m = desc.methods.find((x) => x.name === method);
const transport = (protocol === "connect" ? createConnectTransport : createGrpcWebTransport)({
  baseUrl,
  httpVersion,
});
const client = createClient(desc, transport);
const options = { headers: JSON.parse(headers), ...(timeoutMs ? { timeoutMs: Number(timeoutMs) } : {}) };
const print = (o) => console.log(JSON.stringify(o));
try {
  if (m.methodKind === "server_streaming") {
    for await (const r of client[m.localName](JSON.parse(request), options)) {
      print(toJson(m.output, r));
    }
  } else {
    print(toJson(m.output, await client[m.localName](JSON.parse(request), options)));
  }
  print({ code: "ok" });
} catch (e) {
  const err = ConnectError.from(e);
  print({ code: Code[err.code], message: err.rawMessage });
}
