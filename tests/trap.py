"""A loopback "trap" HTTP server for tests of anything that fetches: it counts every request and
answers with scripted responses (pages, redirects, slow drips, endless bodies, gzip bombs).

Use the fixtures (import them into your test module or conftest):

    from tests.trap import bare_trap, trap  # noqa: F401

    def test_feed(trap):
        trap.serve("/feed.xml", FEED_BYTES, content_type="application/rss+xml")
        fetch(trap.url("/feed.xml"))
        assert trap.hits_for("/feed.xml") == 1

`trap` is reachable through connective.core.http (it is inside `allow_loopback(port)`); `bare_trap`
is not, so it must see zero hits whenever a fetch is refused. Both stop their slow handlers on exit.
"""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

Handler = Callable[[BaseHTTPRequestHandler, "Trap"], None]


@dataclass
class Hit:
    """One request the trap received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Trap:
    """The running server: its port, what it received, and the scripted answers."""

    port: int
    stopping: threading.Event = field(default_factory=threading.Event)
    hits: list[Hit] = field(default_factory=list)
    routes: dict[str, Handler] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        """An absolute URL on this trap."""
        return f"http://{host}:{self.port}{path}"

    def hits_for(self, path: str) -> int:
        """How many requests asked for path (query included if given)."""
        return sum(1 for hit in self.hits if hit.path == path or hit.path.split("?")[0] == path)

    def route(self, path: str, handler: Handler) -> None:
        """Answer path with a custom handler(request_handler, trap)."""
        self.routes[path] = handler

    def serve(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        content_type: str = "text/plain; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        """A complete response with Content-Length."""
        data = body.encode() if isinstance(body, str) else body

        def handler(req: BaseHTTPRequestHandler, trap: Trap) -> None:
            req.send_response(status)
            req.send_header("Content-Type", content_type)
            req.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                req.send_header(name, value)
            req.end_headers()
            if req.command != "HEAD":
                req.wfile.write(data)

        self.routes[path] = handler

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        """A redirect to location."""
        self.serve(path, b"", status=status, headers={"Location": location})

    def drip(self, path: str, body: bytes = b"x" * 100, delay: float = 0.5) -> None:
        """Headers at once, then one byte every delay seconds (slowloris)."""

        def handler(req: BaseHTTPRequestHandler, trap: Trap) -> None:
            req.send_response(200)
            req.send_header("Content-Length", str(len(body)))
            req.end_headers()
            for i in range(len(body)):
                if trap.stopping.wait(delay):
                    return
                req.wfile.write(body[i : i + 1])
                req.wfile.flush()

        self.routes[path] = handler

    def silent(self, path: str) -> None:
        """Accept the request and never send headers."""
        self.routes[path] = lambda req, trap: trap.stopping.wait(30) and None

    def endless(self, path: str, chunk: bytes = b"<item>...</item>", delay: float = 0.0) -> None:
        """An endless chunked body."""

        def handler(req: BaseHTTPRequestHandler, trap: Trap) -> None:
            req.send_response(200)
            req.send_header("Transfer-Encoding", "chunked")
            req.end_headers()
            line = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
            while not trap.stopping.is_set():
                req.wfile.write(line * 64)
                req.wfile.flush()
                if delay:
                    trap.stopping.wait(delay)

        self.routes[path] = handler

    def gzip_bomb(self, path: str, decoded_size: int = 64 << 20, encoding: str = "gzip") -> None:
        """A small compressed body that decodes to decoded_size zero bytes."""
        data = _bomb(decoded_size, encoding)
        self.serve(
            path, data, content_type="application/xml", headers={"Content-Encoding": encoding}
        )


_bombs: dict[tuple[int, str], bytes] = {}


def _bomb(size: int, encoding: str) -> bytes:
    key = (size, encoding)
    if key not in _bombs:
        comp = zlib.compressobj(1, zlib.DEFLATED, 31 if encoding == "gzip" else 15)
        block = bytes(1 << 20)
        parts = [comp.compress(block) for _ in range(size // len(block))]
        parts.append(comp.flush())
        _bombs[key] = b"".join(parts)
    return _bombs[key]


def gzipped(data: bytes) -> bytes:
    """data, gzip-compressed (for serve(..., headers={"Content-Encoding": "gzip"}))."""
    return gzip.compress(data)


def _handler_class(trap: Trap) -> type[BaseHTTPRequestHandler]:
    class TrapHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            with trap.lock:
                trap.hits.append(Hit(self.command, self.path, dict(self.headers.items()), body))
            handler = trap.routes.get(self.path) or trap.routes.get(self.path.split("?")[0])
            try:
                if handler is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "9")
                    self.end_headers()
                    self.wfile.write(b"not found")
                else:
                    handler(self, trap)
            except (BrokenPipeError, ConnectionResetError):
                pass

        do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = _handle

    return TrapHandler


class _QuietServer(ThreadingHTTPServer):
    """Clients that hang up early (that is what the tests do) are not errors."""

    def handle_error(self, request: object, client_address: object) -> None:
        pass


@contextlib.contextmanager
def trap_server(*, allow: bool = True, host: str = "127.0.0.1") -> Iterator[Trap]:
    """Run a trap on an ephemeral loopback port; allow=True lets the guarded client reach it."""
    from connective.core.http import allow_loopback

    trap = Trap(port=0)
    server = _QuietServer((host, 0), _handler_class(trap))
    server.daemon_threads = True
    server.block_on_close = False
    trap.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        with allow_loopback(trap.port) if allow else contextlib.nullcontext():
            yield trap
    finally:
        trap.stopping.set()
        server.shutdown()
        server.server_close()
        time.sleep(0)


@pytest.fixture
def trap() -> Iterator[Trap]:
    """A trap the guarded HTTP client may reach (test-only loopback allowance for its port)."""
    with trap_server(allow=True) as running:
        yield running


@pytest.fixture
def bare_trap() -> Iterator[Trap]:
    """A trap the guarded client may NOT reach: refused fetches must leave it with zero hits."""
    with trap_server(allow=False) as running:
        yield running
