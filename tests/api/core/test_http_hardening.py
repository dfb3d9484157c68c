"""HTTP hardening (issue 11): request framing that two parsers could read two
ways is refused and the connection closed (items 7); a request body is not
read before its caller is known, and the memory held for bodies is bounded
(2b); one address cannot take every connection, and a connection that sends
nothing is dropped early (2a). Raw sockets, since http.client frames requests
properly by itself."""
import re
import socket
import threading

from lib import ServerTest, Server, ADMIN_PW


def raw_exchange(port, data, source=None, timeout=30):
    """Sends data, reads until the server closes; returns (bytes, closed)."""
    c = socket.create_connection(("127.0.0.1", port), timeout=timeout,
                                 source_address=(source, 0) if source else None)
    try:
        c.sendall(data)
        out = b""
        while True:
            try:
                b = c.recv(65536)
            except socket.timeout:
                return out, False
            if not b:
                return out, True
            out += b
    finally:
        c.close()


def responses(data):
    """The status codes of the HTTP responses in data, in order."""
    return [int(m) for m in re.findall(rb"HTTP/1\.[01] (\d{3}) ", data)]


def head_of(data):
    return data.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()


class Framing(ServerTest):
    """RFC 9112 §6.1 and §6.3; ASVS 4.0 V13.1.1 (the same input read the same
    way by every component): what a proxy in front may frame differently is
    refused, never guessed at, and the connection closed behind the answer."""

    def send(self, headers, body=b"", tail=b""):
        req = ("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
               "Content-Type: application/json\r\n" + headers + "\r\n").encode() + body + tail
        # The server must answer and close by itself: a timeout here is a failure.
        out, closed = raw_exchange(self.s.port, req, timeout=20)
        self.assertTrue(closed, out)
        return out

    def test_two_different_content_lengths_are_refused(self):
        out = self.send("Content-Length: 2\r\nContent-Length: 30\r\n", b"{}",
                        b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        # One answer, 400, and nothing of the smuggled second request.
        self.assertEqual(responses(out), [400], out)
        self.assertIn("connection: close", head_of(out))
        self.assertIn(b'"bad_request"', out)

    def test_content_length_with_transfer_encoding_is_refused(self):
        out = self.send("Transfer-Encoding: chunked\r\nContent-Length: 2\r\n",
                        b"2\r\n{}\r\n0\r\n\r\n")
        self.assertEqual(responses(out), [400], out)
        self.assertIn("connection: close", head_of(out))

    def test_unknown_transfer_coding_is_not_implemented(self):
        for te in ("gzip", "gzip, chunked", "chunked, gzip", "identity"):
            with self.subTest(te=te):
                out = self.send("Transfer-Encoding: %s\r\n" % te, b"2\r\n{}\r\n0\r\n\r\n")
                self.assertEqual(responses(out), [501], out)
                self.assertIn("connection: close", head_of(out))
                self.assertIn(b'"not_implemented"', out)

    def test_two_transfer_encoding_headers_are_refused(self):
        out = self.send("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
                        b"2\r\n{}\r\n0\r\n\r\n")
        self.assertEqual(responses(out), [400], out)

    def test_proper_framing_still_works_and_keeps_the_connection(self):
        body = b'{"username":"admin","password":"%s"}' % ADMIN_PW.encode()
        one = ("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               "Content-Length: %d\r\n\r\n" % len(body)).encode() + body
        chunked = ("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
                   "Content-Type: application/json\r\nTransfer-Encoding: Chunked\r\n\r\n"
                   "%x\r\n" % len(body)).encode() + body + b"\r\n0\r\n\r\n"
        # the same length twice is one length (RFC 9112 §6.3 lets it through)
        same = ("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Content-Length: %d\r\nContent-Length: %d\r\n\r\n" % (len(body), len(body))
                ).encode() + body
        last = b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        out, closed = raw_exchange(self.s.port, one + chunked + same + last, timeout=20)
        self.assertTrue(closed, out)
        self.assertEqual(responses(out), [200, 200, 200, 200], out)
