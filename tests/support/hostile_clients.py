"""Clients Slack never is, over raw sockets: a body far larger than Slack sends, unsigned;
JSON nested deeper than a parser copes with; and slowloris connections, which send half
their headers and then a line now and then, to hold the server's connections. For
tests/faults/test_hostile_clients.py and bench/hostile_clients.py."""

import contextlib
import select
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

MIB = 1024 * 1024
NESTED_DEPTH = 100_000  # json.loads raises RecursionError from about a thousand


def nested_json(depth: int = NESTED_DEPTH) -> bytes:
    return b"[" * depth + b"]" * depth


def post_unsigned(
    base: str, size: int, *, chunked: bool = False, chunk: int = MIB, timeout: float = 30
) -> str:
    """POST to /slack/events a `size`-byte unsigned body, announced by its Content-Length
    (or sent chunked), until all is sent or the server hangs up; the answer's status line
    ("HTTP/1.1 413 Request Entity Too Large"), or "" if there was none."""
    address = urlsplit(base)
    length = b"Transfer-Encoding: chunked" if chunked else b"Content-Length: %d" % size
    body = b"%x\r\n%s\r\n" % (chunk, b"x" * chunk) if chunked else b"x" * chunk
    with socket.create_connection((address.hostname, address.port), timeout=timeout) as conn:
        conn.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: rapport\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n%s\r\n\r\n" % length
        )
        try:
            for _ in range(0, size, chunk):
                conn.sendall(body)
            if chunked:
                conn.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server hung up before reading it all; its answer is read all the same
        try:
            return conn.recv(4096).split(b"\r\n", 1)[0].decode()
        except ConnectionResetError:
            return ""


def post_raw(
    base: str, body: bytes, *, headers: bytes = b"", timeout: float = 30
) -> tuple[int, bytes]:
    """POST `body`, unsigned, to /slack/events on its own connection, with `headers` (lines
    ending in CRLF) added: (status, whole answer)."""
    address = urlsplit(base)
    with socket.create_connection((address.hostname, address.port), timeout=timeout) as conn:
        conn.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: rapport\r\nConnection: close\r\n%s"
            b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
            % (headers, len(body), body)
        )
        answer = b""
        with contextlib.suppress(ConnectionResetError):  # refused before it was all read
            while chunk := conn.recv(65536):
                answer += chunk
    return int(answer.split(b" ", 2)[1]), answer


@contextlib.contextmanager
def slowloris(base: str, connections: int) -> Iterator["Slowloris"]:
    """`connections` connections to `base`, each having sent the start of a request's
    headers and nothing more; .trickle() sends each one more header line."""
    address = urlsplit(base)
    held = Slowloris([])
    try:
        for _ in range(connections):
            conn = socket.create_connection((address.hostname, address.port), timeout=10)
            conn.sendall(b"POST /slack/events HTTP/1.1\r\nHost: rapport\r\n")
            held.sockets.append(conn)
        yield held
    finally:
        for conn in held.sockets:
            conn.close()


class Slowloris:
    def __init__(self, sockets: list[socket.socket]):
        self.sockets = sockets

    def trickle(self) -> int:
        """One more header line on each connection the server has not closed; how many
        those are."""
        for conn in list(self.sockets):
            try:
                if select.select([conn], [], [], 0)[0]:
                    raise ConnectionError("answered or closed by the server")
                conn.sendall(b"X-Slow: %d\r\n" % time.monotonic_ns())
            except OSError:
                conn.close()
                self.sockets.remove(conn)
        return len(self.sockets)


def memory_mib(pid: int, field: str = "VmRSS") -> float:
    """Memory of process `pid` in MiB, as `field` of /proc/<pid>/status: VmRSS (resident
    now) or VmHWM (the most it has been resident)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise LookupError(f"no {field} for process {pid}")
