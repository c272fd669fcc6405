"""The one outgoing HTTP client: SSRF guard, total deadline, decoded-size cap, redirect limit.

Every fetch of a URL someone else chose (feeds, link previews, WebFinger, actors, deliveries) goes
through `fetch()`. The guard works on the address actually connected to: we resolve the host name
ourselves, refuse the URL if ANY of its addresses is not a global unicast address, and then connect
to the checked IP (the request goes to the IP with the original Host header and TLS server name), so
a second DNS answer cannot switch the target (DNS rebinding). Each redirect hop is checked again.

Bodies are read raw and decompressed here with a bounded output, so a 1 MB gzip cannot become 1 GB
in memory; one deadline covers resolving, connecting, headers, body and all redirects.

Tests talk to loopback servers only through `allow_loopback(port)`, which refuses to work unless
settings.DEBUG or settings.TESTING is on.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import socket
import ssl
import time
import zlib
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import PackageNotFoundError, version

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("connective.http")

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
DEFAULT_PORTS = frozenset({80, 443})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024
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


def _resolve(host: str, port: int, deadline: float) -> list[str]:
    """All addresses of host (IP literals included), within the deadline."""
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    wait = deadline - time.monotonic()
    future = _resolver_pool.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        infos = future.result(timeout=max(wait, 0.001))
    except FutureTimeout as exc:
        raise FetchTimeout("the host name could not be resolved in time") from exc
    except (OSError, UnicodeError) as exc:
        raise FetchFailed(f"the host name {host} could not be resolved") from exc
    return list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))


def check_url(url: str) -> httpx.URL:
    """The parsed URL if its form may be fetched (scheme, userinfo, port, name)."""
    try:
        parsed = httpx.URL(url)
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


def _checked_addresses(parsed: httpx.URL, deadline: float) -> list[str]:
    """Resolve the URL's host and check every address; the list to connect to."""
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    addresses = _resolve(parsed.host, port, deadline)
    if not addresses:
        raise FetchFailed(f"the host name {parsed.host} has no address")
    for address in addresses:
        problem = _address_problem(ipaddress.ip_address(address), port)
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


def _read_body(response: httpx.Response, max_bytes: int, deadline: float) -> bytes:
    encoding = response.headers.get("content-encoding", "").strip().lower()
    decoder = _Decoder(encoding, max_bytes)
    declared = response.headers.get("content-length", "")
    if not decoder.compressed and declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(f"the response is larger than {max_bytes // 1024} KB")
    for chunk in response.iter_raw():
        decoder.feed(chunk)
        if time.monotonic() > deadline:
            raise FetchTimeout("the server took too long to send its response")
    return decoder.result()


# -- fetching ----------------------------------------------------------------------------------


@dataclass
class _Request:
    method: str
    headers: dict[str, str]
    content: bytes | None
    max_bytes: int
    deadline: float


def _client() -> httpx.Client:
    """A client for one hop: no environment proxies, no redirects, no pooling across host names."""
    return httpx.Client(verify=_ssl_context(), trust_env=False, follow_redirects=False)


def _one_hop(parsed: httpx.URL, req: _Request) -> tuple[httpx.Response, bytes]:
    """Send one request to the checked address of parsed; the response and its body."""
    addresses = _checked_addresses(parsed, req.deadline)
    with _client() as client:
        return _send(client, parsed, addresses, req)


def _send(
    client: httpx.Client, parsed: httpx.URL, addresses: list[str], req: _Request
) -> tuple[httpx.Response, bytes]:
    """Try the checked addresses in turn (at most three)."""
    host_header = parsed.netloc.decode("ascii")
    last_error: Exception | None = None
    for address in addresses[:3]:
        remaining = req.deadline - time.monotonic()
        if remaining <= 0:
            raise FetchTimeout("the server took too long to answer")
        target = parsed.copy_with(host=address)
        request = client.build_request(
            req.method,
            target,
            headers={**req.headers, "Host": host_header},
            content=req.content,
            timeout=httpx.Timeout(remaining),
            extensions={"sni_hostname": parsed.host},
        )
        try:
            response = client.send(request, stream=True)
        except httpx.ConnectError as exc:
            last_error = exc
            continue
        try:
            if response.status_code in REDIRECT_STATUSES and "location" in response.headers:
                return response, b""
            return response, _read_body(response, req.max_bytes, req.deadline)
        finally:
            response.close()
    raise FetchFailed(f"could not connect to {parsed.host}") from last_error


def _next_request(response: httpx.Response, req: _Request) -> _Request:
    """The request that follows a redirect (303, and 301/302 after POST, become GET)."""
    status = response.status_code
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
        if not body and response.status_code in REDIRECT_STATUSES:
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
        return Fetched(response.status_code, response.headers, body, current, tuple(history))


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
    except httpx.TimeoutException as exc:
        logger.info("outgoing fetch timed out (%s)", str(url)[:200])
        raise FetchTimeout("the server took too long to answer") from exc
    except (httpx.HTTPError, ssl.SSLError, OSError, UnicodeError, ValueError) as exc:
        logger.info("outgoing fetch failed: %s (%s)", exc, str(url)[:200])
        raise FetchFailed(f"the fetch failed ({type(exc).__name__})") from exc
