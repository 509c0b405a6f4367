"""A raw HTTP server for the Python reliability tests: answers every request with fixed bytes.

Plain sockets and threads (nothing shared with the client under test); every connection reads one request
(head and body, bounded) and gets the same answer, then the connection is closed.
"""

from __future__ import annotations

import socket
import threading
from types import TracebackType
from typing import Any, Optional

import mycpaas

ACCOUNT = "AC0123456789abcdef0123456789abcdef"
TOKEN = "hostile-python-token"


def reply(status: int, content_type: str, body: bytes) -> bytes:
    """A complete answer with `Connection: close` and an exact `Content-Length`."""
    head = f"HTTP/1.1 {status} Hostile\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    return head.encode() + body


class HostileServer:
    """Serves `answer` (bytes, or a head followed by `flood` spaces) to every request on 127.0.0.1."""

    def __init__(self, answer: bytes, flood: int = 0) -> None:
        self.answer = answer
        self.flood = flood
        self.methods: list[str] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        host, port = self._listener.getsockname()[:2]
        return f"http://{host}:{port}"

    def client(self, **settings: Any) -> mycpaas.Client:
        """A client of this server."""
        return mycpaas.Client(ACCOUNT, TOKEN, base_url=self.base_url, **settings)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except (socket.timeout, OSError):
                continue
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        with connection:
            connection.settimeout(5)
            data = b""
            try:
                while b"\r\n\r\n" not in data and len(data) < 1 << 16:
                    chunk = connection.recv(4096)
                    if not chunk:
                        return
                    data += chunk
                head, _, body = data.partition(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                self.methods.append(lines[0].split(" ")[0])
                length = next(
                    (int(line.split(":", 1)[1]) for line in lines[1:] if line.lower().startswith("content-length:")), 0
                )
                while len(body) < min(length, 1 << 20):
                    chunk = connection.recv(4096)
                    if not chunk:
                        break
                    body += chunk
                connection.sendall(self.answer)
                spaces = b" " * 65536
                left = self.flood
                while left > 0 and not self._stop.is_set():
                    connection.sendall(spaces[: min(left, len(spaces))])
                    left -= min(left, len(spaces))
            except OSError:
                return

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._listener.close()

    def __enter__(self) -> "HostileServer":
        return self

    def __exit__(
        self, kind: Optional[type[BaseException]], value: Optional[BaseException], traceback: Optional[TracebackType]
    ) -> None:
        self.close()
