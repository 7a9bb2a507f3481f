"""Fetching URLs: SSRF guard (every wrapped form), pinning, redirects, size and time limits.

A real threaded HTTP server runs on 127.0.0.1 (and one on 127.0.0.2); positive cases use
``allow_private`` (or an allowed network), and every refusal is checked without it.
"""

from __future__ import annotations

import gzip
import http.server
import ipaddress
import threading
import time
import zlib
from urllib.parse import urlsplit

import httpx
import pytest

from storyline.errors import FetchError, InputTooLarge, UnsafeURL
from storyline.ingest.fetch import (
    Target, embedded_ipv4, fetch, forbidden_reason, parse_ip_literal, send_pinned, target,
    vet_addresses,
)
from storyline.ingest.sources import iter_inputs
from storyline.ingest.types import RawInput, Skip
from storyline.settings import load

PAGE = (b"<!doctype html><html><head><title>Talks in Amman</title></head><body>"
        b"<article><p>Diplomats met in Amman on Monday to discuss a ceasefire.</p></article>"
        b"</body></html>")
FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>One</title><link>https://example.org/one</link>
<description>First report on the talks.</description></item>
<item><title>Two</title><guid>https://example.org/two</guid>
<description>Second report on the talks.</description></item></channel></rss>"""
BOMB = gzip.compress(b"\0" * 30_000_000, compresslevel=9)
RELEASE = threading.Event()  # lets hanging handlers finish when the tests end


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    routes: dict = {}

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def send(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
        self.send_response(status)
        headers = {"Content-Type": "text/html; charset=utf-8", **(headers or {})}
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        path, _, query = self.path.partition("?")
        if path == "/page":
            self.send(200, PAGE)
        elif path == "/host":
            self.send(200, self.headers.get("Host", "").encode(), {"Content-Type": "text/plain"})
        elif path == "/gzip":
            self.send(200, gzip.compress(PAGE), {"Content-Encoding": "gzip"})
        elif path == "/deflate":
            self.send(200, zlib.compress(PAGE), {"Content-Encoding": "deflate"})
        elif path == "/feed":
            self.send(200, FEED, {"Content-Type": "application/rss+xml"})
        elif path.startswith("/hops/"):
            left = int(path.rsplit("/", 1)[1])
            if left == 0:
                self.send(200, PAGE)
            else:
                self.send(302, b"", {"Location": f"/hops/{left - 1}"})
        elif path == "/to":
            self.send(302, b"", {"Location": query})
        elif path == "/missing":
            self.send(404, b"not here")
        elif path == "/hang":
            RELEASE.wait(10)
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(100):
                if RELEASE.wait(0.1):
                    break
                self.wfile.write(b"x")
                self.wfile.flush()
        elif path == "/declared-huge":
            self.send(200, b"x" * 1000, {"Content-Length": str(50_000_000)})
        elif path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            try:
                for _ in range(2000):
                    self.wfile.write(b"news " * 2000)
            except OSError:
                pass
        elif path == "/bomb":
            self.send(200, BOMB, {"Content-Encoding": "gzip"})
        elif path == "/brotli":
            self.send(200, b"\x1b\x00", {"Content-Encoding": "br"})
        else:
            self.send(404)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


def _serve(host: str):
    server = Server((host, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture(scope="module")
def server():
    RELEASE.clear()
    srv = _serve("127.0.0.1")
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    RELEASE.set()
    srv.shutdown()
    srv.server_close()


@pytest.fixture(scope="module")
def server2():
    """A second server on 127.0.0.2: "allowed" in tests that check redirect re-checks."""
    srv = _serve("127.0.0.2")
    yield f"http://127.0.0.2:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


@pytest.fixture()
def private_ok():
    return load(env={}, **{"ingest.allow_private": True, "ingest.fetch_timeout_s": 1.5})


@pytest.fixture()
def strict():
    return load(env={}, **{"ingest.fetch_timeout_s": 1.5})


# --- address classification (pure) -------------------------------------------------------


@pytest.mark.parametrize("host, reason", [
    ("127.0.0.1", "loopback"),
    ("2130706433", "loopback"),          # decimal
    ("0177.0.0.1", "loopback"),          # octal
    ("0x7f.0.0.1", "loopback"),          # hex
    ("0x7f000001", "loopback"),
    ("127.1", "loopback"),               # short form
    ("017700000001", "loopback"),        # octal, one part
    ("::1", "loopback"),
    ("::ffff:127.0.0.1", "loopback"),    # IPv4-mapped
    ("::ffff:7f00:1", "loopback"),
    ("::127.0.0.1", "loopback"),         # IPv4-compatible
    ("64:ff9b::7f00:1", "loopback"),     # NAT64
    ("64:ff9b::a00:1", "private"),       # NAT64 of 10.0.0.1
    ("2002:7f00:1::", "loopback"),       # 6to4 of 127.0.0.1
    ("2002:c0a8:101::1", "private"),     # 6to4 of 192.168.1.1
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback"),  # Teredo, client 127.0.0.1
    ("10.1.2.3", "private"),
    ("172.16.0.1", "private"),
    ("192.168.0.10", "private"),
    ("169.254.169.254", "link-local"),   # cloud metadata
    ("fe80::1", "link-local"),
    ("100.64.0.1", "carrier-grade NAT"),
    ("100.127.255.254", "carrier-grade NAT"),
    ("224.0.0.1", "multicast"),
    ("ff02::1", "multicast"),
    ("0.0.0.0", "unspecified"),
    ("0", "unspecified"),
    ("::", "unspecified"),
    ("240.0.0.1", "reserved"),
    ("fc00::1", "private"),              # unique local
    ("fec0::1", "site-local"),
    ("64:ff9b:1::1", "local-use NAT64"),
    ("192.0.2.1", "private"),            # documentation range
])
def test_forbidden_addresses_in_every_form(host, reason):
    address = parse_ip_literal(host)
    assert address is not None, host
    assert reason in (forbidden_reason(address) or ""), (host, forbidden_reason(address))


@pytest.mark.parametrize("host", ["8.8.8.8", "93.184.216.34", "2606:4700::1111",
                                  "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1",
                                  "100.128.0.1"])
def test_public_addresses_are_allowed(host):
    assert forbidden_reason(parse_ip_literal(host)) is None


def test_legacy_forms_parse_like_inet_aton():
    assert str(parse_ip_literal("2130706433")) == "127.0.0.1"
    assert str(parse_ip_literal("0177.0.0.01")) == "127.0.0.1"
    assert str(parse_ip_literal("10.1")) == "10.0.0.1"
    assert str(parse_ip_literal("192.168.257")) == "192.168.1.1"
    assert parse_ip_literal("08.0.0.1") is None          # not octal: a host name
    assert parse_ip_literal("256.0.0.1") is None
    assert parse_ip_literal("example.com") is None
    assert str(embedded_ipv4(ipaddress.IPv6Address("2002:a00:1::"))) == "10.0.0.1"


def test_every_resolved_address_is_checked(strict):
    public = ipaddress.ip_address("93.184.216.34")
    assert vet_addresses("news.example", [public], strict) == [public]
    with pytest.raises(UnsafeURL, match="private"):
        vet_addresses("news.example", [public, ipaddress.ip_address("10.0.0.7")], strict)


def test_allowed_networks_let_one_private_range_through(strict):
    allowed = strict.replace(**{"ingest.allow_networks": ["10.20.0.0/16"]})
    assert vet_addresses("intranet", [ipaddress.ip_address("10.20.1.1")], allowed)
    with pytest.raises(UnsafeURL):
        vet_addresses("intranet", [ipaddress.ip_address("10.21.1.1")], allowed)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://x/",
                                 "javascript:alert(1)", "dict://127.0.0.1:11211/"])
def test_only_http_and_https(url, private_ok):
    with pytest.raises(UnsafeURL, match="only http and https"):
        fetch(url, private_ok)


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "2130706433", "0177.0.0.1",
                                  "0x7f.1", "[::1]", "[::ffff:127.0.0.1]", "[64:ff9b::7f00:1]",
                                  "[2002:7f00:1::]", "169.254.169.254", "100.64.0.1"])
def test_loopback_and_private_urls_refused(host, strict):
    with pytest.raises(UnsafeURL, match="refused"):
        target(f"http://{host}:8080/latest/meta-data", strict)


# --- against a real local server -----------------------------------------------------------


def test_loopback_server_refused_without_allow_private(server, strict):
    with pytest.raises(UnsafeURL, match="loopback"):
        fetch(f"{server}/page", strict)


def test_fetch_page(server, private_ok):
    raw = fetch(f"{server}/page#section", private_ok)
    assert raw.data == PAGE
    assert raw.content_type.startswith("text/html")
    assert raw.source_key == f"{server}/page"
    assert raw.hints["url"] == f"{server}/page#section"


@pytest.mark.parametrize("route", ["/gzip", "/deflate"])
def test_content_encoding_is_decoded(server, private_ok, route):
    assert fetch(server + route, private_ok).data == PAGE


def test_connection_is_pinned_to_the_checked_address(server, private_ok):
    """The request goes to the checked IP: a host name that does not even resolve any more
    (as after a DNS rebinding) is never looked up again, and still travels as Host."""
    port = int(server.rsplit(":", 1)[1])
    url = f"http://rebound.invalid:{port}/host"
    pinned = Target(url=url, parts=urlsplit(url), host="rebound.invalid", port=port,
                    addresses=[ipaddress.ip_address("127.0.0.1")])
    with httpx.Client(trust_env=False) as client:
        response = send_pinned(client, pinned, private_ok, time.monotonic() + 5)
        body = response.read()
    assert body == f"rebound.invalid:{port}".encode()


def test_redirects_are_followed_and_capped(server, private_ok):
    assert fetch(f"{server}/hops/3", private_ok).data == PAGE
    capped = private_ok.replace(**{"ingest.max_redirects": 2})
    with pytest.raises(FetchError, match="too many redirects"):
        fetch(f"{server}/hops/3", capped)


@pytest.mark.parametrize("location", [
    "http://127.0.0.1:{port}/page", "http://localhost:{port}/page", "http://2130706433:{port}/page",
    "http://[::ffff:127.0.0.1]:{port}/page", "http://10.0.0.1/", "http://192.168.1.1/admin",
    "http://169.254.169.254/latest/meta-data/", "http://[64:ff9b::a9fe:a9fe]/",
    "file:///etc/passwd",
])
def test_each_redirect_is_checked_again(server, server2, strict, location):
    """The first hop (127.0.0.2) is explicitly allowed; where it redirects to is not."""
    allowed = strict.replace(**{"ingest.allow_networks": ["127.0.0.2/32"]})
    assert fetch(f"{server2}/page", allowed).data == PAGE
    port = server.rsplit(":", 1)[1]
    with pytest.raises(UnsafeURL, match="refused"):
        fetch(f"{server2}/to?{location.format(port=port)}", allowed)


def test_http_error_status(server, private_ok):
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(f"{server}/missing", private_ok)


def test_hanging_server_times_out(server, private_ok):
    with pytest.raises(FetchError, match="timed out"):
        fetch(f"{server}/hang", private_ok.replace(**{"ingest.fetch_timeout_s": 0.5}))


def test_total_time_is_capped_even_when_bytes_trickle_in(server, private_ok):
    with pytest.raises(FetchError, match="timed out"):
        fetch(f"{server}/drip", private_ok.replace(**{"ingest.fetch_timeout_s": 0.6}))


def test_declared_huge_response_refused(server, private_ok):
    with pytest.raises(InputTooLarge, match="too large"):
        fetch(f"{server}/declared-huge", private_ok)


def test_endless_response_refused_while_streaming(server, private_ok):
    small = private_ok.replace(**{"ingest.max_fetch_bytes": 200_000})
    with pytest.raises(InputTooLarge, match="more than 200,000 bytes"):
        fetch(f"{server}/endless", small)


def test_gzip_bomb_response_refused(server, private_ok):
    small = private_ok.replace(**{"ingest.max_fetch_bytes": 1_000_000})
    assert len(BOMB) < 1_000_000  # the compressed body itself is under the limit
    with pytest.raises(InputTooLarge, match="compression bomb"):
        fetch(f"{server}/bomb", small)


def test_unknown_content_encoding_refused(server, private_ok):
    with pytest.raises(FetchError, match="Content-Encoding 'br'"):
        fetch(f"{server}/brotli", private_ok)


def test_unresolvable_host(private_ok):
    with pytest.raises(FetchError, match="cannot resolve"):
        fetch("http://no-such-host.invalid/", private_ok)


def test_urls_in_a_batch_become_documents_or_skips(server, private_ok, strict):
    quick = private_ok.replace(**{"ingest.fetch_timeout_s": 0.5})
    items = list(iter_inputs([f"{server}/page", f"{server}/feed", f"{server}/missing",
                              f"{server}/hang"], quick))
    raws = [i for i in items if isinstance(i, RawInput)]
    skips = [i for i in items if isinstance(i, Skip)]
    assert [r.format for r in raws] == ["html", "feed-item", "feed-item"]
    assert raws[0].source_key == f"{server}/page"
    assert [r.source_key for r in raws[1:]] == ["https://example.org/one",
                                                 "https://example.org/two"]
    assert raws[1].hints["outlet"] == "Wire" and raws[1].source == f"{server}/feed"
    assert [s.error for s in skips] == ["FetchError", "FetchError"]
    assert "HTTP 404" in skips[0].reason and "timed out" in skips[1].reason
    refused = list(iter_inputs([f"{server}/page"], strict))
    assert isinstance(refused[0], Skip) and refused[0].error == "UnsafeURL"


def test_bad_allowed_network_setting_is_a_config_error(strict):
    from storyline.errors import ConfigError

    broken = strict.replace(**{"ingest.allow_networks": ["10.0.0.0/33"]})
    with pytest.raises(ConfigError, match="allow_networks"):
        vet_addresses("intranet", [ipaddress.ip_address("10.0.0.1")], broken)
    with pytest.raises(ConfigError):
        list(iter_inputs(["http://10.0.0.1/"], broken))


# --- HTTPS: pinned to the IP, verified against the host name -------------------------------


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    """An HTTPS server on 127.0.0.1 whose certificate (from a throwaway CA) names
    news.storyline.test only."""
    import shutil
    import ssl
    import subprocess

    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    d = tmp_path_factory.mktemp("tls")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True)

    run("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=Storyline Test CA")
    run("req", *ec, "-keyout", "srv.key", "-out", "srv.csr", "-subj", "/CN=news.storyline.test")
    (d / "ext.cnf").write_text("subjectAltName=DNS:news.storyline.test\n")
    run("x509", "-req", "-in", "srv.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "srv.pem", "-days", "2", "-extfile", "ext.cnf")
    srv = Server(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(d / "srv.pem", d / "srv.key")
    srv.socket = context.wrap_socket(srv.socket, server_side=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    client_context = ssl.create_default_context(cafile=str(d / "ca.pem"))
    yield srv.server_address[1], client_context
    srv.shutdown()
    srv.server_close()


def _pinned_https(host: str, port: int) -> Target:
    url = f"https://{host}:{port}/host"
    return Target(url=url, parts=urlsplit(url), host=host, port=port,
                  addresses=[ipaddress.ip_address("127.0.0.1")])


def test_https_pinned_connection_verifies_the_host_name(tls_server, private_ok):
    port, client_context = tls_server
    with httpx.Client(trust_env=False, verify=client_context) as client:
        response = send_pinned(client, _pinned_https("news.storyline.test", port), private_ok,
                               time.monotonic() + 5)
        assert response.read() == f"news.storyline.test:{port}".encode()
    with httpx.Client(trust_env=False, verify=client_context) as client:
        with pytest.raises(FetchError, match="cannot connect"):
            send_pinned(client, _pinned_https("evil.storyline.test", port), private_ok,
                        time.monotonic() + 5)
