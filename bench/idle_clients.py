#!/usr/bin/env python3
"""Holds N idle HTTP/2 (h2c, prior knowledge) client connections open, for bench/run.sh's idle-clients figure.

Usage: idle_clients.py HOST PORT N

Each connection sends the client preface and an empty SETTINGS frame, acknowledges the server's SETTINGS, and
then sends nothing more. Prints "ready ALIVE" once all are set up (ALIVE: how many the server has not closed),
then holds them until stdin closes.
"""

import select
import socket
import sys
import time

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + bytes([0, 0, 0, 4, 0, 0, 0, 0, 0])
SETTINGS_ACK = bytes([0, 0, 0, 4, 1, 0, 0, 0, 0])


def alive(sockets):
    """Counts the connections the server has not closed (a closed one reads as EOF without blocking)."""
    count = 0
    for s in sockets:
        s.setblocking(False)
        try:
            while True:
                if not s.recv(65536):
                    break
        except BlockingIOError:
            count += 1
        except OSError:
            pass
    return count


def main():
    host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    sockets = []
    for _ in range(n):
        s = socket.create_connection((host, port), timeout=10)
        s.sendall(PREFACE)
        sockets.append(s)
    # The server's SETTINGS must be acknowledged, or a strict server ends the connection after its timeout.
    for s in sockets:
        try:
            if s.recv(65536):
                s.sendall(SETTINGS_ACK)
        except OSError:
            pass
    time.sleep(1)
    print("ready", alive(sockets), flush=True)
    select.select([sys.stdin], [], [])
    print("still open", alive(sockets), flush=True)


if __name__ == "__main__":
    main()
