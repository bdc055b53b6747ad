#!/usr/bin/python3
"""One unary helloworld.Greeter/SayHello with grpcio, as a one-shot client: the yardstick of bench/startup.sh.

No generated code: the request is HelloRequest{name} encoded by hand (field 1, wire type 2: tag 0x0a, length, UTF-8
bytes; names under 128 bytes, so the length is one byte), and the reply's field 1 is decoded the same way.

    /usr/bin/python3 bench/grpcio_call.py 127.0.0.1:50051 [NAME]
"""
import sys

import grpc


def main():
    target = sys.argv[1]
    name = (sys.argv[2] if len(sys.argv) > 2 else "x").encode()
    if len(name) >= 128:
        sys.exit("grpcio_call.py: NAME must be under 128 bytes")
    with grpc.insecure_channel(target) as channel:
        say_hello = channel.unary_unary("/helloworld.Greeter/SayHello")
        reply = say_hello(b"\x0a" + bytes([len(name)]) + name, timeout=30)
    # HelloReply{message}: tag 0x0a, a one-byte length for the short replies asked for here.
    if reply[:1] != b"\x0a" or reply[1] >= 128:
        sys.exit("grpcio_call.py: unexpected reply " + reply.hex())
    print(reply[2 : 2 + reply[1]].decode())


if __name__ == "__main__":
    main()
