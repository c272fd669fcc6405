"""The one outgoing HTTP client: SSRF guard (T-10–T-12), deadline (T-13), size cap (T-14)."""

import gzip
import socket
import time
import zlib

import pytest
from django.core.exceptions import ImproperlyConfigured

from connective.core import http
from connective.core.http import (
    FetchFailed,
    FetchTimeout,
    TooLarge,
    TooManyRedirects,
    URLNotAllowed,
    allow_loopback,
    fetch,
)
from tests.trap import bare_trap, trap  # noqa: F401

_real_getaddrinfo = socket.getaddrinfo
# Tests that are not about the deadline give it room on a busy machine; refusals never wait.
PATIENT = 10.0


@pytest.fixture
def dns(monkeypatch):
    """A fake DNS server: name -> list of answers, each answer used once (the last one sticks)."""
    answers: dict[str, list[str]] = {}
    asked: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        if name in answers:
            asked.append(name)
            queue = answers[name]
            ip = queue.pop(0) if len(queue) > 1 else queue[0]
            family = socket.AF_INET6 if ":" in ip else socket.AF_INET
            return [(family, socket.SOCK_STREAM, 6, "", (ip, port))]
        return _real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    answers["asked"] = asked  # type: ignore[assignment]
    return answers


def _open_port(settings, port):
    """Let the port check pass, so the address check is what refuses."""
    settings.CONNECTIVE_HTTP_ALLOWED_PORTS = {80, 443, port}


# -- T-10: private and special addresses ---------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "[::1]",
        "[::]",
        "0.0.0.0",
        "[::ffff:127.0.0.1]",
        "2130706433",
        "0x7f.1",
        "0177.0.0.1",
        "127.1",
        "localhost",
        "localhost.",
    ],
)
def test_t10_loopback_forms_are_refused_before_connecting(bare_trap, settings, host):  # noqa: F811
    _open_port(settings, bare_trap.port)
    with pytest.raises(URLNotAllowed, match="not allowed"):
        fetch(f"http://{host}:{bare_trap.port}/x", timeout=PATIENT)
    assert bare_trap.hits == []


@pytest.mark.parametrize(
    "ip",
    [
        "169.254.169.254",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "100.64.0.1",
        "fd00::1",
        "fe80::1",
    ],
)
def test_t10_private_link_local_and_cgnat_are_refused(ip):
    host = f"[{ip}]" if ":" in ip else ip
    with pytest.raises(URLNotAllowed, match="not a public internet address"):
        fetch(f"http://{host}/latest/meta-data/", timeout=PATIENT)


def test_t10_a_name_resolving_to_a_private_address_is_refused(bare_trap, settings, dns):  # noqa: F811
    _open_port(settings, bare_trap.port)
    dns["intranet.example.com"] = ["127.0.0.1"]
    with pytest.raises(URLNotAllowed) as refused:
        fetch(f"http://intranet.example.com:{bare_trap.port}/", timeout=PATIENT)
    assert "127.0.0.1" in str(refused.value)
    assert bare_trap.hits == []


def test_t10_one_private_address_among_public_ones_refuses(settings, dns):
    dns["mixed.example.com"] = ["93.184.216.34"]
    original = socket.getaddrinfo

    def both(host, port, *args, **kwargs):
        if host == "mixed.example.com":
            return [
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
            ]
        return original(host, port, *args, **kwargs)

    socket.getaddrinfo = both
    try:
        with pytest.raises(URLNotAllowed, match="10.0.0.7"):
            fetch("http://mixed.example.com/", timeout=PATIENT)
    finally:
        socket.getaddrinfo = original


def test_t10_the_loopback_allowance_is_refused_without_debug_or_tests(settings):
    settings.DEBUG = False
    settings.TESTING = False
    with pytest.raises(ImproperlyConfigured):
        with allow_loopback(8080):
            pass


def test_t10_an_allowance_left_in_settings_is_ignored_in_production(bare_trap, settings):  # noqa: F811
    settings.CONNECTIVE_HTTP_ALLOW_LOOPBACK_PORTS = {bare_trap.port}
    settings.DEBUG = False
    settings.TESTING = False
    with pytest.raises(URLNotAllowed):
        fetch(bare_trap.url("/"), timeout=PATIENT)
    assert bare_trap.hits == []


def test_the_allowed_trap_is_fetched_with_our_user_agent(trap):  # noqa: F811
    trap.serve("/hello", "hi there", content_type="text/html; charset=utf-8")
    got = fetch(trap.url("/hello"), accept="text/html", timeout=PATIENT)
    assert got.status == 200
    assert got.content == b"hi there"
    assert got.content_type == "text/html"
    assert got.url == trap.url("/hello")
    hit = trap.hits[0]
    assert hit.headers["User-Agent"].startswith("Connective/")
    assert "(+http" in hit.headers["User-Agent"]
    assert hit.headers["Accept"] == "text/html"


def test_post_sends_the_body(trap):  # noqa: F811
    trap.serve("/inbox", "", status=202)
    got = fetch(trap.url("/inbox"), method="POST", content=b'{"a": 1}', timeout=PATIENT)
    assert got.status == 202
    assert trap.hits[0].body == b'{"a": 1}'


# -- T-11: redirects and DNS rebinding -----------------------------------------------------------


def test_t11_a_redirect_to_loopback_is_refused_at_that_hop(trap, bare_trap, settings):  # noqa: F811
    _open_port(settings, bare_trap.port)
    trap.redirect("/go", bare_trap.url("/admin"))
    with pytest.raises(URLNotAllowed):
        fetch(trap.url("/go"), timeout=PATIENT)
    assert trap.hits_for("/go") == 1
    assert bare_trap.hits == []


def test_t11_a_redirect_to_a_private_address_is_refused(trap):  # noqa: F811
    trap.redirect("/go", "http://169.254.169.254/latest/meta-data/")
    with pytest.raises(URLNotAllowed):
        fetch(trap.url("/go"), timeout=PATIENT)


def test_t11_redirects_are_followed_up_to_five(trap):  # noqa: F811
    for i in range(5):
        trap.redirect(f"/r{i}", f"/r{i + 1}", status=301 if i % 2 else 307)
    trap.serve("/r5", "end")
    got = fetch(trap.url("/r0"), timeout=PATIENT)
    assert got.content == b"end"
    assert got.url == trap.url("/r5")
    assert len(got.history) == 5


def test_t11_a_chain_of_twenty_redirects_stops_after_five(trap):  # noqa: F811
    for i in range(20):
        trap.redirect(f"/r{i}", f"/r{i + 1}")
    with pytest.raises(TooManyRedirects):
        fetch(trap.url("/r0"), timeout=PATIENT)
    assert len(trap.hits) == 6


def test_t11_dns_rebinding_cannot_switch_the_address(trap, dns):  # noqa: F811
    """First answer passes the check; the second would be private. We connect to the first."""
    trap.serve("/feed", "from the checked address")
    dns["rebind.example.com"] = ["127.0.0.1", "10.255.255.1"]
    got = fetch(f"http://rebind.example.com:{trap.port}/feed", timeout=PATIENT)
    assert got.content == b"from the checked address"
    assert dns["asked"] == ["rebind.example.com"]
    assert trap.hits[0].headers["Host"] == f"rebind.example.com:{trap.port}"


def test_t11_rebinding_to_private_on_a_redirect_hop_is_refused(trap, dns):  # noqa: F811
    dns["rebind.example.com"] = ["127.0.0.1", "10.0.0.1"]
    trap.redirect("/a", f"http://rebind.example.com:{trap.port}/b")
    trap.serve("/b", "internal")
    with pytest.raises(URLNotAllowed):
        fetch(f"http://rebind.example.com:{trap.port}/a", timeout=PATIENT)
    assert trap.hits_for("/b") == 0


# -- T-12: schemes, userinfo, ports --------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "gopher://127.0.0.1:{port}/_x",
        "ftp://127.0.0.1:{port}/",
        "data:text/plain,hello",
        "http://user@127.0.0.1:{port}/",
        "http://user:pw@example.com/",
        "http://example.com:6379/",
        "https://example.com:22/",
        "not a url at all",
        "http:///nohost",
    ],
)
def test_t12_schemes_userinfo_and_ports_are_refused(bare_trap, url):  # noqa: F811
    with pytest.raises(URLNotAllowed):
        fetch(url.format(port=bare_trap.port), timeout=PATIENT)
    assert bare_trap.hits == []


def test_t12_a_redirect_to_another_scheme_is_refused(trap):  # noqa: F811
    trap.redirect("/go", "file:///etc/passwd")
    with pytest.raises(URLNotAllowed, match="only http and https"):
        fetch(trap.url("/go"), timeout=PATIENT)


# -- T-13: one total deadline --------------------------------------------------------------------


def test_t13_a_slow_drip_hits_the_total_deadline(trap):  # noqa: F811
    trap.drip("/slow", b"x" * 100, delay=0.2)
    started = time.monotonic()
    with pytest.raises(FetchTimeout):
        fetch(trap.url("/slow"), timeout=1.0)
    assert time.monotonic() - started < 2.0


def test_t13_a_server_that_never_sends_headers_times_out(trap):  # noqa: F811
    trap.silent("/quiet")
    started = time.monotonic()
    with pytest.raises(FetchTimeout):
        fetch(trap.url("/quiet"), timeout=0.8)
    assert time.monotonic() - started < 2.0


def test_t13_an_endless_slow_chunked_body_times_out(trap):  # noqa: F811
    trap.endless("/forever", b"x", delay=0.05)
    with pytest.raises((FetchTimeout, TooLarge)):
        fetch(trap.url("/forever"), timeout=1.0)


def test_t13_the_deadline_covers_the_whole_redirect_chain(trap):  # noqa: F811
    trap.redirect("/a", "/b")
    trap.drip("/b", b"x" * 50, delay=0.1)
    with pytest.raises(FetchTimeout):
        fetch(trap.url("/a"), timeout=1.0)


# -- T-14: decoded size cap ----------------------------------------------------------------------


def test_t14_a_large_body_is_cut_at_the_cap(trap):  # noqa: F811
    trap.serve("/big", b"a" * (3 * 1024 * 1024))
    with pytest.raises(TooLarge):
        fetch(trap.url("/big"), timeout=PATIENT)


def test_t14_an_endless_fast_body_is_cut_at_the_cap(trap):  # noqa: F811
    trap.endless("/flood", b"y" * 4096)
    with pytest.raises(TooLarge):
        fetch(trap.url("/flood"), max_bytes=1024 * 1024, timeout=PATIENT)


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_t14_a_compression_bomb_is_cut_at_the_decoded_cap(trap, encoding):  # noqa: F811
    trap.gzip_bomb("/bomb", decoded_size=16 * 1024 * 1024, encoding=encoding)
    with pytest.raises(TooLarge):
        fetch(trap.url("/bomb"), max_bytes=5 * 1024 * 1024, timeout=PATIENT)


def test_t14_gzip_and_raw_deflate_bodies_are_decoded(trap):  # noqa: F811
    trap.serve("/gz", gzip.compress(b"<rss/>"), headers={"Content-Encoding": "gzip"})
    raw = zlib.compressobj(6, zlib.DEFLATED, -15)
    trap.serve(
        "/raw", raw.compress(b"<feed/>") + raw.flush(), headers={"Content-Encoding": "deflate"}
    )
    assert fetch(trap.url("/gz"), timeout=PATIENT).content == b"<rss/>"
    assert fetch(trap.url("/raw"), timeout=PATIENT).content == b"<feed/>"


def test_t14_unknown_content_encodings_are_refused(trap):  # noqa: F811
    trap.serve("/br", b"\x00\x01", headers={"Content-Encoding": "br"})
    with pytest.raises(FetchFailed, match="unsupported content encoding"):
        fetch(trap.url("/br"), timeout=PATIENT)


def test_connection_refused_is_a_fetch_failed(trap):  # noqa: F811
    with trap_port_closed() as port, allow_loopback(port):
        with pytest.raises(FetchFailed):
            fetch(f"http://127.0.0.1:{port}/", timeout=PATIENT)


class trap_port_closed:
    """A port number nothing listens on."""

    def __enter__(self) -> int:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        sock.close()
        return self.port

    def __exit__(self, *exc) -> None:
        return None


def test_refusals_are_logged_with_their_reason(caplog):
    with caplog.at_level("WARNING", logger="connective.http"):
        with pytest.raises(URLNotAllowed):
            fetch("http://10.0.0.1/", timeout=PATIENT)
    assert "not a public internet address" in caplog.text
    assert http.DEFAULT_MAX_BYTES == 2 * 1024 * 1024


# -- the wire: our HTTP/1.1 on the checked socket, keep-alive within a batch ----------------------


class _Counting:
    """A loopback HTTP/1.1 server (keep-alive) that counts connections and requests."""

    def __init__(self, host: str = "127.0.0.1", close_after: int = 0) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        counts = self.counts = {"connections": 0, "requests": 0}

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def setup(self):
                super().setup()
                counts["connections"] += 1
                self.served = 0

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                counts["requests"] += 1
                self.served += 1
                body = b"ok"
                self.send_response(202)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                if close_after and self.served >= close_after:
                    self.close_connection = True  # drop it silently, as idle servers do

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def counting():
    server = _Counting()
    with allow_loopback(server.port):
        yield server
    server.stop()


def test_keep_alive_reuses_one_connection_to_the_same_host(counting):
    url = f"http://127.0.0.1:{counting.port}/inbox"
    with http.keep_alive():
        for _ in range(3):
            assert fetch(url, method="POST", content=b"{}", timeout=PATIENT).content == b"ok"
    assert counting.counts == {"connections": 1, "requests": 3}


def test_without_keep_alive_every_fetch_has_its_own_connection(counting):
    for _ in range(2):
        fetch(
            f"http://127.0.0.1:{counting.port}/inbox", method="POST", content=b"", timeout=PATIENT
        )
    assert counting.counts == {"connections": 2, "requests": 2}


def test_keep_alive_never_shares_a_connection_between_host_names(counting, dns):
    dns["one.example.com"] = ["127.0.0.1"]
    dns["two.example.com"] = ["127.0.0.1"]
    with http.keep_alive():
        for name in ("one", "two", "one"):
            fetch(f"http://{name}.example.com:{counting.port}/", method="POST", timeout=PATIENT)
    assert counting.counts == {"connections": 2, "requests": 3}


def test_keep_alive_opens_a_new_connection_when_the_server_dropped_the_old_one():
    server = _Counting(close_after=1)
    try:
        with allow_loopback(server.port), http.keep_alive():
            for _ in range(2):
                got = fetch(f"http://127.0.0.1:{server.port}/", method="POST", timeout=PATIENT)
                assert got.status == 202
    finally:
        server.stop()
    assert server.counts["requests"] == 2


@pytest.mark.parametrize("name,value", [("X-A", "1\r\nX-Injected: 2"), ("X-A\r\nB", "1")])
def test_header_injection_is_refused_before_sending(trap, name, value):  # noqa: F811
    with pytest.raises(FetchFailed, match="cannot be sent"):
        fetch(trap.url("/"), headers={name: value}, timeout=PATIENT)
    assert trap.hits == []


def test_a_chunked_body_is_decoded(trap):  # noqa: F811
    def chunked(req, _trap):
        req.send_response(200)
        req.send_header("Transfer-Encoding", "chunked")
        req.end_headers()
        req.wfile.write(b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n")

    trap.route("/chunked", chunked)
    assert fetch(trap.url("/chunked"), timeout=PATIENT).content == b"hello world"


def test_a_response_that_is_not_http_is_a_fetch_failed():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    port = sock.getsockname()[1]

    def answer():
        conn, _ = sock.accept()
        conn.recv(65536)
        conn.sendall(b"SSH-2.0-OpenSSH\r\n\r\n")
        conn.close()

    import threading

    threading.Thread(target=answer, daemon=True).start()
    try:
        with allow_loopback(port), pytest.raises(FetchFailed):
            fetch(f"http://127.0.0.1:{port}/", timeout=PATIENT)
    finally:
        sock.close()


def _self_signed(tmp_path):
    """A certificate and key for 127.0.0.1 that no one trusts."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def test_the_tls_certificate_is_verified(tmp_path):
    """A TLS server whose certificate we do not trust is refused, and nothing is sent to it."""
    import ssl
    import threading

    cert_file, key_file = _self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    received: list[bytes] = []

    def serve():
        conn, _ = listener.accept()
        try:
            with context.wrap_socket(conn, server_side=True) as tls:
                received.append(tls.recv(65536))
        except (ssl.SSLError, OSError):
            pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        with allow_loopback(port), pytest.raises(FetchFailed, match="TLS"):
            fetch(f"https://127.0.0.1:{port}/", timeout=PATIENT)
        thread.join(5)
    finally:
        listener.close()
    assert received == []


def test_a_trusted_tls_server_is_fetched_over_tls(tmp_path, monkeypatch):
    """With the certificate trusted, the same request goes through (TLS, SNI, verification)."""
    import ssl
    import threading

    cert_file, key_file = _self_signed(tmp_path)
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert_file, key_file)
    monkeypatch.setattr(http, "_ssl_context", lambda: ssl.create_default_context(cafile=cert_file))
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]

    def serve():
        conn, _ = listener.accept()
        with server_context.wrap_socket(conn, server_side=True) as tls:
            tls.recv(65536)
            tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecret")

    threading.Thread(target=serve, daemon=True).start()
    try:
        with allow_loopback(port):
            got = fetch(f"https://127.0.0.1:{port}/", timeout=PATIENT)
    finally:
        listener.close()
    assert (got.status, got.content) == (200, b"secret")


@pytest.mark.parametrize("sizes", [b"-5\r\nhello\r\n0\r\n\r\n", b"zz\r\nhello\r\n0\r\n\r\n"])
def test_a_malformed_chunked_body_is_a_fetch_failed(trap, sizes):  # noqa: F811
    def chunked(req, _trap):
        req.send_response(200)
        req.send_header("Transfer-Encoding", "chunked")
        req.end_headers()
        req.wfile.write(sizes)

    trap.route("/bad-chunks", chunked)
    with pytest.raises(FetchFailed, match="malformed chunked"):
        fetch(trap.url("/bad-chunks"), timeout=PATIENT)


def test_a_redirect_inside_keep_alive_is_followed_through_the_guard(trap, bare_trap, settings):  # noqa: F811
    _open_port(settings, bare_trap.port)
    trap.redirect("/go", bare_trap.url("/admin"))
    with http.keep_alive(), pytest.raises(URLNotAllowed):
        fetch(trap.url("/go"), timeout=PATIENT)
    assert bare_trap.hits == []
