"""The one outgoing HTTP client: SSRF guard, total deadline, decoded-size cap, redirect limit.

Every fetch of a URL someone else chose (feeds, link previews, WebFinger, actors, deliveries) goes
through `fetch()`. The guard works on the address actually connected to: we resolve the host name
ourselves, refuse the URL if ANY of its addresses is not a global unicast address, and then connect
to the checked IP (the request goes to the IP with the original Host header and TLS server name), so
a second DNS answer cannot switch the target (DNS rebinding). Each redirect hop is checked again.

HTTP/1.1 is spoken here, on the socket connected to the checked address (TLS through `ssl` with
the host's name for SNI and certificate verification): a request is a few hundred bytes to write
and an answer is read with our own bounded reader, which costs a fraction of a general client.
Bodies are decompressed here with a bounded output, so a 1 MB gzip cannot become 1 GB in memory;
one deadline covers resolving, connecting, headers, body and all redirects. Within
`keep_alive()` (a delivery batch) a connection to the same scheme, host and port is reused; it
was opened to an address checked at the time, and redirects are never followed on it blindly:
every hop goes through the guard again.

Tests talk to loopback servers only through `allow_loopback(port)`, which refuses to work unless
settings.DEBUG or settings.TESTING is on.
"""

from __future__ import annotations

import contextlib
import contextvars
import ipaddress
import logging
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib.metadata import PackageNotFoundError, version

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("connective.http")

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
DEFAULT_PORTS = frozenset({80, 443})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024
MAX_HEAD = 64 * 1024  # status line and headers of an answer
_OURS = frozenset({"host", "content-length", "connection", "transfer-encoding"})
_BAD_HEADER = re.compile(r"[^!#$%&'*+\-.^_`|~0-9A-Za-z]")
_BAD_VALUE = re.compile(r"[\r\n\0]")
_NAMES_REFUSED = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
_resolver_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="connective-dns")


class FetchError(Exception):
    """Any failure of an outgoing fetch; str() is a reason a person can read."""


class URLNotAllowed(FetchError):
    """The URL may not be fetched (scheme, userinfo, port, or a non-public address)."""


class TooManyRedirects(FetchError):
    """The redirect chain was longer than allowed."""


class TooLarge(FetchError):
    """The (decoded) response body passed the size cap."""


class FetchTimeout(FetchError):
    """The total deadline passed before the response was complete."""


class FetchFailed(FetchError):
    """Connection refused, TLS failure, bad encoding, or another transport error."""


@dataclass(frozen=True)
class Fetched:
    """A complete response: status, headers, decoded body, final URL and the URLs before it."""

    status: int
    headers: httpx.Headers
    content: bytes
    url: str
    history: tuple[str, ...] = field(default_factory=tuple)

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower case ("" when absent)."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@cache
def user_agent() -> str:
    """Our User-Agent: Connective/<version> (+<site url>)."""
    try:
        ver = version("connective")
    except PackageNotFoundError:  # pragma: no cover - running from a plain checkout
        ver = "0"
    return f"Connective/{ver} (+{settings.CONNECTIVE_SITE_URL})"


@cache
def _ssl_context() -> ssl.SSLContext:
    """One verifying TLS context for every fetch (building one costs milliseconds)."""
    return httpx.create_ssl_context()


# -- the guard ---------------------------------------------------------------------------------


def _loopback_ports() -> frozenset[int]:
    """Ports of our own loopback test servers; empty unless DEBUG or TESTING."""
    if not (settings.DEBUG or getattr(settings, "TESTING", False)):
        return frozenset()
    return frozenset(getattr(settings, "CONNECTIVE_HTTP_ALLOW_LOOPBACK_PORTS", ()))


@contextlib.contextmanager
def allow_loopback(port: int) -> Iterator[None]:
    """Let fetch() reach 127.0.0.1/::1 on this one port (tests and DEBUG only)."""
    if not (settings.DEBUG or getattr(settings, "TESTING", False)):
        raise ImproperlyConfigured("allow_loopback() is for tests and DEBUG only")
    previous = getattr(settings, "CONNECTIVE_HTTP_ALLOW_LOOPBACK_PORTS", ())
    settings.CONNECTIVE_HTTP_ALLOW_LOOPBACK_PORTS = frozenset(previous) | {port}
    try:
        yield
    finally:
        settings.CONNECTIVE_HTTP_ALLOW_LOOPBACK_PORTS = previous


def _refuse(url: str, reason: str) -> URLNotAllowed:
    logger.warning("outgoing fetch refused: %s (%s)", reason, url[:200])
    return URLNotAllowed(f"URL not allowed: {reason}")


def _address_problem(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, port: int) -> str:
    """Why this address may not be contacted, or "" if it may."""
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            return _address_problem(mapped, port)
        if ip.teredo is not None:
            return "the address is a Teredo tunnel address"
    if ip.is_loopback and port in _loopback_ports():
        return ""
    if ip.is_global and not ip.is_multicast:
        return ""
    return f"the address {ip} is not a public internet address"


@lru_cache(maxsize=4096)
def _ip_literal(host: str) -> str:
    """The address host spells, normalised ("" if host is a name)."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return ""


@lru_cache(maxsize=4096)
def _problem(address: str, port: int, loopback_ports: frozenset[int]) -> str:
    """_address_problem of a resolved address, kept: deliveries ask about the same ones."""
    del loopback_ports  # part of the key: the answer depends on it
    return _address_problem(ipaddress.ip_address(address), port)


def _resolve(host: str, port: int, deadline: float) -> list[str]:
    """All addresses of host (IP literals included), within the deadline."""
    literal = _ip_literal(host)
    if literal:
        return [literal]
    wait = deadline - time.monotonic()
    future = _resolver_pool.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        infos = future.result(timeout=max(wait, 0.001))
    except FutureTimeout as exc:
        raise FetchTimeout("the host name could not be resolved in time") from exc
    except (OSError, UnicodeError) as exc:
        raise FetchFailed(f"the host name {host} could not be resolved") from exc
    return list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))


@lru_cache(maxsize=4096)
def _parse(url: str) -> httpx.URL:
    """httpx's parse of url (immutable), kept: a worker sends to the same inboxes again."""
    return httpx.URL(url)


def check_url(url: str) -> httpx.URL:
    """The parsed URL if its form may be fetched (scheme, userinfo, port, name)."""
    try:
        parsed = _parse(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise _refuse(str(url), "it is not a valid web address") from exc
    if parsed.scheme not in ("http", "https"):
        raise _refuse(url, f"only http and https addresses can be fetched, not {parsed.scheme!r}")
    if parsed.userinfo:
        raise _refuse(url, "addresses with a user name or password are not fetched")
    host = parsed.host.rstrip(".").lower()
    if not host:
        raise _refuse(url, "the address has no host")
    if host in _NAMES_REFUSED or host.endswith((".localhost", ".local", ".internal")):
        raise _refuse(url, f"{host} is a local name")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    allowed = frozenset(getattr(settings, "CONNECTIVE_HTTP_ALLOWED_PORTS", DEFAULT_PORTS))
    if port not in allowed and port not in _loopback_ports():
        raise _refuse(url, f"port {port} is not allowed")
    return parsed


def check_url_offline(url: str) -> httpx.URL:
    """`check_url`, and for a host written in numbers (`127.0.0.1`, `[::1]`, `2130706433`…)
    the address check a fetch would make, with no DNS lookup and no connection: what can be
    refused without going out (a host name is checked when it is fetched)."""
    parsed = check_url(url)
    try:
        socket.getaddrinfo(parsed.host, None, flags=socket.AI_NUMERICHOST)
    except (OSError, UnicodeError, ValueError):
        return parsed  # a name: resolved, and checked, by the fetch
    _checked_addresses(parsed, time.monotonic() + 1.0)
    return parsed


def _checked_addresses(parsed: httpx.URL, deadline: float) -> list[str]:
    """Resolve the URL's host and check every address; the list to connect to."""
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    addresses = _resolve(parsed.host, port, deadline)
    if not addresses:
        raise FetchFailed(f"the host name {parsed.host} has no address")
    loopback_ports = _loopback_ports()
    for address in addresses:
        problem = _problem(address, port, loopback_ports)
        if problem:
            raise _refuse(str(parsed), problem)
    return addresses


# -- reading the body --------------------------------------------------------------------------


class _Decoder:
    """Bounded decoder for identity, gzip and deflate bodies."""

    def __init__(self, encoding: str, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.parts: list[bytes] = []
        self.compressed = encoding not in ("", "identity")
        self.raw_deflate_possible = encoding == "deflate"
        if encoding in ("gzip", "x-gzip"):
            self.zlib = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
        elif encoding == "deflate":
            self.zlib = zlib.decompressobj()
        elif self.compressed:
            raise FetchFailed(f"the server sent an unsupported content encoding ({encoding})")

    def _keep(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.max_bytes:
            raise TooLarge(f"the response is larger than {self.max_bytes // 1024} KB")
        self.parts.append(data)

    def _inflate(self, data: bytes) -> None:
        while data:
            self._keep(self.zlib.decompress(data, self.max_bytes - self.size + 1))
            data = self.zlib.unconsumed_tail

    def feed(self, chunk: bytes) -> None:
        """Add raw bytes; TooLarge as soon as the decoded size passes the cap."""
        if not self.compressed:
            self._keep(chunk)
            return
        try:
            if self.raw_deflate_possible:
                # "deflate" is sometimes sent without its zlib header: decide on the first bytes.
                self.raw_deflate_possible = False
                try:
                    self._inflate(chunk)
                    return
                except zlib.error:
                    if self.size:
                        raise
                    self.zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            self._inflate(chunk)
        except zlib.error as exc:
            raise FetchFailed("the compressed response is corrupt") from exc

    def result(self) -> bytes:
        """The decoded body."""
        return b"".join(self.parts)


@dataclass
class _Request:
    method: str
    headers: dict[str, str]
    content: bytes | None
    max_bytes: int
    deadline: float


# -- the wire: HTTP/1.1 on the checked, connected socket ------------------------------------------


class _Conn:
    """One open connection to a checked address, reusable for the same scheme, host and port."""

    def __init__(self, sock: socket.socket, key: tuple[str, str, int]) -> None:
        self.sock = sock
        self.key = key
        self.buf = b""
        self.reused = False

    def _recv(self, deadline: float) -> bytes:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchTimeout("the server took too long to send its response")
        self.sock.settimeout(remaining)
        try:
            return self.sock.recv(CHUNK)
        except TimeoutError as exc:
            raise FetchTimeout("the server took too long to send its response") from exc

    def head(self, deadline: float) -> bytes:
        """The status line and headers, up to the blank line (bounded)."""
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end >= 0:
                head, self.buf = self.buf[:end], self.buf[end + 4 :]
                return head
            if len(self.buf) > MAX_HEAD:
                raise FetchFailed("the server sent too many headers")
            data = self._recv(deadline)
            if not data and not self.buf:
                raise _Closed("the server closed the connection before answering")
            if not data:
                raise FetchFailed("the server closed the connection mid-response")
            self.buf += data

    def some(self, deadline: float, limit: int = CHUNK) -> bytes:
        """Up to limit bytes (b"" at the end of the stream)."""
        if not self.buf:
            self.buf = self._recv(deadline)
        data, self.buf = self.buf[:limit], self.buf[limit:]
        return data

    def line(self, deadline: float) -> bytes:
        """One CRLF-terminated line (a chunk size or a trailer), bounded."""
        while b"\r\n" not in self.buf:
            if len(self.buf) > 4096:
                raise FetchFailed("the server sent a malformed chunked body")
            data = self._recv(deadline)
            if not data:
                raise FetchFailed("the server closed the connection mid-response")
            self.buf += data
        line, _, self.buf = self.buf.partition(b"\r\n")
        return line

    def close(self) -> None:
        """Close the socket (errors ignored)."""
        with contextlib.suppress(OSError):
            self.sock.close()


class _Closed(FetchFailed):
    """A connection closed before any answer (on a reused connection: try a new one)."""


class _Pool:
    """Idle keep-alive connections by (scheme, host, port), shared by the threads of one batch."""

    def __init__(self) -> None:
        self.idle: dict[tuple[str, str, int], list[_Conn]] = {}
        self.lock = threading.Lock()

    def take(self, key: tuple[str, str, int]) -> _Conn | None:
        with self.lock:
            conns = self.idle.get(key)
            return conns.pop() if conns else None

    def give(self, conn: _Conn) -> None:
        with self.lock:
            self.idle.setdefault(conn.key, []).append(conn)

    def close(self) -> None:
        with self.lock:
            for conns in self.idle.values():
                for conn in conns:
                    conn.close()
            self.idle.clear()


_pool: contextvars.ContextVar[_Pool | None] = contextvars.ContextVar("connective_http_pool")


@contextlib.contextmanager
def keep_alive() -> Iterator[None]:
    """Reuse connections to the same scheme, host and port within this block (a delivery batch):
    each was opened to an address checked then. Threads must run in a copy of this context."""
    pool = _Pool()
    token = _pool.set(pool)
    try:
        yield
    finally:
        _pool.reset(token)
        pool.close()


@dataclass
class _Response:
    status: int
    headers: httpx.Headers
    reusable: bool


def _open(
    parsed: httpx.URL, key: tuple[str, str, int], addresses: list[str], req: _Request
) -> _Conn:
    """Connect to the first of the checked addresses that answers (at most three)."""
    last_error: Exception | None = None
    for address in addresses[:3]:
        remaining = req.deadline - time.monotonic()
        if remaining <= 0:
            raise FetchTimeout("the server took too long to answer")
        sock = socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET)
        try:
            sock.settimeout(remaining)
            sock.connect((address, key[2]))
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if key[0] == "https":  # the handshake gets what is left of the deadline
                sock.settimeout(max(req.deadline - time.monotonic(), 0.001))
                sock = _ssl_context().wrap_socket(sock, server_hostname=parsed.host)
        except TimeoutError as exc:
            sock.close()
            raise FetchTimeout("the server took too long to answer") from exc
        except ssl.SSLError as exc:
            sock.close()
            raise FetchFailed(f"the TLS connection to {parsed.host} failed") from exc
        except OSError as exc:
            sock.close()
            last_error = exc
            continue
        return _Conn(sock, key)
    raise FetchFailed(f"could not connect to {parsed.host}") from last_error


def _request_bytes(parsed: httpx.URL, req: _Request, pooled: bool) -> bytes:
    """The request line, headers and body; header injection is refused."""
    lines = [f"{req.method} {parsed.raw_path.decode('ascii')} HTTP/1.1"]
    lines.append(f"Host: {parsed.netloc.decode('ascii')}")
    for name, value in req.headers.items():
        if name.lower() in _OURS:
            continue
        if _BAD_HEADER.search(name) or _BAD_VALUE.search(value):
            raise FetchFailed(f"the header {name[:40]!r} cannot be sent")
        lines.append(f"{name}: {value}")
    if req.content is not None:
        lines.append(f"Content-Length: {len(req.content)}")
    if not pooled:
        lines.append("Connection: close")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return head + req.content if req.content else head


def _parse_head(head: bytes) -> tuple[int, bool, httpx.Headers]:
    """(status, HTTP/1.1?, headers) from a response head."""
    lines = head.decode("latin-1").split("\r\n")
    version, _, rest = lines[0].partition(" ")
    code = rest[:3]
    if not version.startswith("HTTP/1.") or not code.isdigit():
        raise FetchFailed("the server did not answer in HTTP/1.1")
    pairs = []
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if not sep or not name or name != name.strip():
            raise FetchFailed("the server sent a malformed header")
        pairs.append((name, value.strip()))
    return int(code), version == "HTTP/1.1", httpx.Headers(pairs)


def _exchange(conn: _Conn, data: bytes, deadline: float) -> tuple[int, bool, httpx.Headers]:
    """Send a request and read the answer's head (informational answers skipped)."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchTimeout("the server took too long to answer")
    conn.sock.settimeout(remaining)
    try:
        conn.sock.sendall(data)
    except TimeoutError as exc:
        raise FetchTimeout("the server took too long to read our request") from exc
    except OSError as exc:
        raise _Closed("the connection was closed") from exc
    while True:
        status, http11, headers = _parse_head(conn.head(deadline))
        if not 100 <= status < 200:
            return status, http11, headers


def _read_body(conn: _Conn, response: _Response, req: _Request) -> bytes:
    """The decoded body, bounded by the cap and the deadline; marks whether the connection can
    carry another request."""
    headers = response.headers
    decoder = _Decoder(headers.get("content-encoding", "").strip().lower(), req.max_bytes)
    if req.method == "HEAD" or response.status in (204, 304):
        return b""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        _read_chunked(conn, decoder, req.deadline)
        return decoder.result()
    declared = headers.get("content-length", "").strip()
    if declared.isdigit():
        left = int(declared)
        if not decoder.compressed and left > req.max_bytes:
            raise TooLarge(f"the response is larger than {req.max_bytes // 1024} KB")
        while left > 0:
            data = conn.some(req.deadline, min(left, CHUNK))
            if not data:
                raise FetchFailed("the server closed the connection mid-response")
            left -= len(data)
            _feed(decoder, data, req.deadline)
        return decoder.result()
    response.reusable = False  # the body ends when the server closes the connection
    while data := conn.some(req.deadline):
        _feed(decoder, data, req.deadline)
    return decoder.result()


def _feed(decoder: _Decoder, data: bytes, deadline: float) -> None:
    decoder.feed(data)
    if time.monotonic() > deadline:
        raise FetchTimeout("the server took too long to send its response")


def _read_chunked(conn: _Conn, decoder: _Decoder, deadline: float) -> None:
    while True:
        size_text = conn.line(deadline).split(b";")[0].strip()
        try:
            left = int(size_text, 16)
        except ValueError as exc:
            raise FetchFailed("the server sent a malformed chunked body") from exc
        if left < 0:
            raise FetchFailed("the server sent a malformed chunked body")
        if left == 0:
            while conn.line(deadline):  # trailers, up to the blank line
                pass
            return
        while left > 0:
            data = conn.some(deadline, min(left, CHUNK))
            if not data:
                raise FetchFailed("the server closed the connection mid-response")
            left -= len(data)
            _feed(decoder, data, deadline)
        if conn.line(deadline):
            raise FetchFailed("the server sent a malformed chunked body")


# -- fetching ----------------------------------------------------------------------------------


def _one_hop(parsed: httpx.URL, req: _Request) -> tuple[_Response, bytes]:
    """Send one request to a checked address of parsed; the response and its body (empty for a
    redirect). Within keep_alive(), a connection to the same scheme, host and port is reused."""
    pool = _pool.get(None)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    key = (parsed.scheme, parsed.host, port)
    conn = pool.take(key) if pool else None
    if conn is not None:
        conn.reused = True
    else:
        conn = _open(parsed, key, _checked_addresses(parsed, req.deadline), req)
    data = _request_bytes(parsed, req, pool is not None)
    try:
        try:
            status, http11, headers = _exchange(conn, data, req.deadline)
        except _Closed:
            if not conn.reused:
                raise
            conn.close()  # the server dropped the idle connection: one try on a new one
            conn = _open(parsed, key, _checked_addresses(parsed, req.deadline), req)
            status, http11, headers = _exchange(conn, data, req.deadline)
        closing = "close" in headers.get("connection", "").lower()
        response = _Response(status, headers, http11 and not closing)
        if status in REDIRECT_STATUSES and "location" in headers:
            conn.close()  # its body is not read: the connection cannot carry another request
            return response, b""
        body = _read_body(conn, response, req)
    except BaseException:
        conn.close()
        raise
    if pool is not None and response.reusable and not conn.buf:
        pool.give(conn)
    else:
        conn.close()
    return response, body


def _next_request(response: _Response, req: _Request) -> _Request:
    """The request that follows a redirect (303, and 301/302 after POST, become GET)."""
    status = response.status
    if status == 303 or (status in (301, 302) and req.method == "POST"):
        headers = {k: v for k, v in req.headers.items() if k.lower() != "content-type"}
        return _Request("GET", headers, None, req.max_bytes, req.deadline)
    return req


def _follow(url: str, req: _Request, max_redirects: int) -> Fetched:
    history: list[str] = []
    current = url
    while True:
        parsed = check_url(current)
        response, body = _one_hop(parsed, req)
        if not body and response.status in REDIRECT_STATUSES:
            location = response.headers.get("location", "")
            if location:
                if len(history) >= max_redirects:
                    raise TooManyRedirects(f"more than {max_redirects} redirects")
                history.append(current)
                nxt = parsed.join(location)
                if nxt.host != parsed.host:
                    req.headers.pop("Authorization", None)
                req = _next_request(response, req)
                current = str(nxt)
                continue
        return Fetched(response.status, response.headers, body, current, tuple(history))


def fetch(
    url: str,
    *,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    content: bytes | None = None,
    accept: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = 10.0,
    max_redirects: int = 5,
) -> Fetched:
    """Fetch url through the guard; any failure is a FetchError whose str() is the reason."""
    deadline = time.monotonic() + timeout
    sent = {"User-Agent": user_agent(), "Accept-Encoding": "gzip, deflate"}
    if accept:
        sent["Accept"] = accept
    sent.update(headers or {})
    req = _Request(method.upper(), sent, content, max_bytes, deadline)
    try:
        return _follow(url, req, max_redirects)
    except FetchError as exc:
        if not isinstance(exc, URLNotAllowed):
            logger.info("outgoing fetch failed: %s (%s)", exc, str(url)[:200])
        raise
    except TimeoutError as exc:
        logger.info("outgoing fetch timed out (%s)", str(url)[:200])
        raise FetchTimeout("the server took too long to answer") from exc
    except (ssl.SSLError, OSError, UnicodeError, ValueError) as exc:
        logger.info("outgoing fetch failed: %s (%s)", exc, str(url)[:200])
        raise FetchFailed(f"the fetch failed ({type(exc).__name__})") from exc
