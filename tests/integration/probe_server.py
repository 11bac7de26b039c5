#!/usr/bin/env python3
"""A misbehaving HTTP server on loopback for the probe tests.

Writes "PORT <n>" on its first line of stdout once it listens, then
answers each connection by the request's path:

  /status/CODE       that status with a short body ("status CODE")
  /keep              200, keeping the connection open for more requests
  /change/ID         200 with the header X-Luna-Change: ID
  /slow/MS           200 after MS milliseconds
  /hang              reads the request, never answers
  /stall             sends the headers and 10 of 100 body bytes, then waits
  /reset             reads the request, resets the connection
  /reset-mid         sends part of a response, then resets
  /close             reads the request, closes without a reply
  /loop              302 to itself, forever
  /large/BYTES       200 with a body of BYTES bytes
  /truncate          announces 100 body bytes, sends 10, closes
  /garbage           answers with a line that is not HTTP
  /badchunk          a chunked body with a bad chunk size

A TLS handshake on the plain port gets a plain HTTP 400, as from nginx.

With --tls CERT KEY it speaks HTTPS with that certificate. With --mute
it accepts connections and never reads or answers (a TLS handshake hangs).
With --closed-port it prints a port nobody listens on, and exits.
It exits by itself after --lifetime seconds (default 120).
"""
import argparse
import socket
import ssl
import struct
import sys
import threading
import time


def read_request(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return None
        data += chunk
        if data.startswith(b"\x16"):
            return "/tls-hello"
    line = data.split(b"\r\n", 1)[0].decode("latin-1")
    parts = line.split(" ")
    return parts[1] if len(parts) >= 2 else "/"


def reply(conn, code, body=b"", headers=(), close=True):
    head = "HTTP/1.1 %d X\r\nContent-Length: %d\r\n" % (code, len(body))
    if close:
        head += "Connection: close\r\n"
    for h in headers:
        head += h + "\r\n"
    conn.sendall(head.encode() + b"\r\n" + body)


def reset(conn):
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                    struct.pack("ii", 1, 0))
    conn.close()


def hang(conn):
    conn.settimeout(60)
    try:
        while conn.recv(4096):
            pass
    except OSError:
        pass


def large(conn, size):
    head = ("HTTP/1.1 200 OK\r\nContent-Length: %d\r\n"
            "Connection: close\r\n\r\n" % size)
    conn.sendall(head.encode())
    block = b"x" * 65536
    try:
        while size > 0:
            n = min(size, len(block))
            conn.sendall(block[:n])
            size -= n
    except OSError:
        pass


def handle(conn):
    path = read_request(conn)
    while path == "/keep":
        reply(conn, 200, b"kept", close=False)
        path = read_request(conn)
    if path is None:
        return
    word, _, arg = path.strip("/").partition("/")
    if word == "status":
        reply(conn, int(arg), b"status " + arg.encode())
    elif word == "change":
        reply(conn, 200, b"ok", ["X-Luna-Change: " + arg])
    elif word == "slow":
        time.sleep(int(arg) / 1000.0)
        reply(conn, 200, b"slow")
    elif word == "hang":
        hang(conn)
    elif word == "stall":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"
                     b"0123456789")
        hang(conn)
    elif word == "reset":
        reset(conn)
        return
    elif word == "reset-mid":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"
                     b"0123456789")
        time.sleep(0.1)
        reset(conn)
        return
    elif word == "close":
        pass
    elif word == "loop":
        reply(conn, 302, b"", ["Location: /loop"])
    elif word == "continue":
        # An interim answer only: the real one never comes.
        conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        hang(conn)
    elif word == "bighead":
        conn.sendall(b"HTTP/1.1 200 OK\r\nX-Big: " + b"x" * 300000 +
                     b"\r\nContent-Length: 0\r\n\r\n")
    elif word == "to":
        # /to/PORT/PATH: a redirect to PATH on another loopback port.
        port, _, rest = arg.partition("/")
        reply(conn, 302, b"", [f"Location: http://127.0.0.1:{port}/{rest}"])
    elif word == "large":
        large(conn, int(arg))
    elif word == "truncate":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"
                     b"0123456789")
    elif word == "garbage":
        conn.sendall(b"this is not http\r\n\r\n")
    elif word == "badchunk":
        conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                     b"\r\nzz\r\nhello\r\n0\r\n\r\n")
    elif word == "tls-hello":
        # A TLS client on the plain port: answer in HTTP, as nginx does.
        reply(conn, 400, b"plain HTTP here")
    else:
        reply(conn, 404, b"no such case")
    conn.close()


def serve(conn, tls, mute):
    try:
        if mute:
            hang(conn)
            return
        if tls is not None:
            conn.settimeout(10)
            conn = tls.wrap_socket(conn, server_side=True)
            conn.settimeout(None)
        handle(conn)
    except OSError:
        pass
    finally:
        try:
            conn.close()
        except OSError:
            pass


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    print(port, flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--closed-port", action="store_true")
    ap.add_argument("--lifetime", type=float, default=120)
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--mute", action="store_true")
    args = ap.parse_args()
    tls = None
    if args.tls:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(args.tls[0], args.tls[1])
    if args.closed_port:
        closed_port()
        return
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(512)
    print("PORT %d" % srv.getsockname()[1], flush=True)
    deadline = time.monotonic() + args.lifetime
    srv.settimeout(1)
    while time.monotonic() < deadline:
        try:
            conn, _ = srv.accept()
        except socket.timeout:
            continue
        threading.Thread(target=serve, args=(conn, tls, args.mute),
                         daemon=True).start()
    sys.exit(0)


if __name__ == "__main__":
    main()
