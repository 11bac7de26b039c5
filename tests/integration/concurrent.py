"""Open N connections to 127.0.0.1:PORT at once, send one GET PATH on
each, and print how many full replies came back and when (seconds from
the start): "N_OK MIN MEDIAN MAX". Gives up after 20 s."""
import selectors
import socket
import sys
import time


def content_length(head):
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":", 1)[1])
    return 0


def main():
    port, n, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    sel = selectors.DefaultSelector()
    start = time.monotonic()
    request = ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % path).encode()
    for i in range(n):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(request)
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, [b""])
    done = []
    while len(done) < n and time.monotonic() - start < 20:
        for key, _ in sel.select(1):
            data = key.fileobj.recv(65536)
            key.data[0] += data
            buf = key.data[0]
            if b"\r\n\r\n" in buf:
                head, body = buf.split(b"\r\n\r\n", 1)
                if len(body) >= content_length(head):
                    done.append(time.monotonic() - start)
                    sel.unregister(key.fileobj)
                    key.fileobj.close()
            elif not data:
                sel.unregister(key.fileobj)
                key.fileobj.close()
                n -= 1
    done.sort()
    if not done:
        print("0 0 0 0")
        return
    print("%d %.3f %.3f %.3f" % (len(done), done[0], done[len(done) // 2],
                                 done[-1]))


main()
