// Calls helloworld.Greeter and helloworld.Daininki through ferry with connect-node, the Connect
// project's client for Node, over Connect or gRPC-Web, without generated code: the services come
// from a FileDescriptorSet the test writes. Prints one JSON line per outcome, for
// ConnectNodeClientTest to read.
//   node client.mjs PROTOCOL(connect|grpc-web) BASE_URL DESCRIPTOR_SET_FILE HTTP_VERSION(1.1|2) FORMAT(json|binary)
// gRPC-Web is binary only: FORMAT is for Connect.
import { readFileSync } from "node:fs";
import { createFileRegistry, fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";

const [protocol, baseUrl, descriptorFile, httpVersion, format] = process.argv.slice(2);
const registry = createFileRegistry(
  fromBinary(FileDescriptorSetSchema, readFileSync(descriptorFile)),
);
const transport =
  protocol === "grpc-web"
    ? createGrpcWebTransport({ baseUrl, httpVersion })
    : createConnectTransport({ baseUrl, httpVersion, useBinaryFormat: format === "binary" });
const greeter = createClient(registry.getService("helloworld.Greeter"), transport);
const daininki = createClient(registry.getService("helloworld.Daininki"), transport);
const print = (o) => console.log(JSON.stringify(o));

async function outcome(name, call) {
  try {
    print({ name, ok: await call() });
  } catch (e) {
    const err = ConnectError.from(e);
    print({ name, code: Code[err.code], message: err.rawMessage });
  }
}

await outcome("unary", async () => (await greeter.sayHello({ name: "node" })).message);
await outcome("stream", async () => {
  const got = [];
  const headers = { "x-stream-count": "2" };
  for await (const r of greeter.sayHelloStreamReply({ name: "s" }, { headers })) {
    got.push(r.message);
  }
  return got;
});
await outcome("backendError", () =>
  greeter.sayHello(
    { name: "e" },
    { headers: { "x-fail-status": "7", "x-fail-message": "not for you" } },
  ),
);
await outcome("deadline", () =>
  greeter.sayHello({ name: "d" }, { timeoutMs: 200, headers: { "x-delay-ms": "10000" } }),
);
await outcome("ferryUnavailable", () => daininki.vote({ candidate: "a" }));
