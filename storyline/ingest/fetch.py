"""Fetching URLs safely (SSRF guard, pinned connections, size and time limits).

What :func:`fetch` guarantees:

* only ``http`` and ``https`` URLs are fetched;
* the host is resolved here, **every** address it resolves to is checked, and the
  connection is made to the checked address (the request goes to the IP, with the original
  ``Host`` header and TLS server name), so DNS rebinding cannot switch the target between
  the check and the connection.  Refused: loopback, private, link-local, CGNAT
  (100.64.0.0/10), multicast, reserved, unspecified and other non-global addresses, also
  when written in another form (``2130706433``, ``0177.0.0.1``, ``0x7f.1``, ``127.1``) or
  wrapped in IPv6 (IPv4-mapped/-compatible, NAT64 ``64:ff9b::/96``, 6to4 ``2002::/16``,
  Teredo ``2001::/32``) — unless ``settings.ingest.allow_private`` is set, or the address
  is in ``settings.ingest.allow_networks``;
* redirects are followed by hand, each target checked again, at most
  ``settings.ingest.max_redirects``;
* the body is streamed and refused past ``settings.ingest.max_fetch_bytes``, both as sent
  and after ``Content-Encoding`` decompression (gzip/deflate bombs are refused while
  decompressing, memory stays bounded);
* the whole fetch (DNS, redirects, body) takes at most ``settings.ingest.fetch_timeout_s``.

Errors are :class:`~storyline.errors.UnsafeURL`, :class:`~storyline.errors.FetchError` and
:class:`~storyline.errors.InputTooLarge`, each with a one-line message.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import re
import socket
import threading
import time
import zlib
from collections.abc import Iterable
from typing import Any
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

import httpx

from ..errors import ConfigError, FetchError, InputTooLarge, StorylineError, UnsafeURL
from ..settings import Settings
from .types import RawInput

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOWED_SCHEMES = ("http", "https")
REDIRECT_CODES = (301, 302, 303, 307, 308)
_ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
           "application/json,application/xml;q=0.9,text/plain;q=0.9,*/*;q=0.5")

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


# --- address checks ----------------------------------------------------------------------


def forbidden_reason(address: IPAddress) -> str | None:
    """Why ``address`` must not be fetched (``"loopback"``, ``"private"``, …), or ``None``.

    IPv4 wrapped in IPv6 (mapped, compatible, NAT64, 6to4, Teredo) is judged by the IPv4
    address inside.
    """
    if isinstance(address, ipaddress.IPv6Address):
        inner = embedded_ipv4(address)
        if inner is not None:
            reason = forbidden_reason(inner)
            return f"{reason} (IPv4 {inner} wrapped in IPv6)" if reason else None
        if address in _NAT64_LOCAL:
            return "local-use NAT64"
        if address.is_site_local:
            return "site-local"
    if address.is_unspecified:
        return "unspecified"
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if isinstance(address, ipaddress.IPv4Address) and address in _CGNAT:
        return "carrier-grade NAT (100.64.0.0/10)"
    if address.is_reserved:
        return "reserved"
    if address.is_private:
        return "private"
    if not address.is_global:
        return "not globally routable"
    return None


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4, Teredo)."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64 or (address in _IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def parse_ip_literal(host: str) -> IPAddress | None:
    """``host`` as an IP address if it is one, in any form a resolver accepts
    (``2130706433``, ``0177.0.0.1``, ``0x7f.0.0.1``, ``127.1``, ``[::1]``), else ``None``."""
    host = host.strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return _legacy_ipv4(host)


def _legacy_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """inet_aton(3) forms: 1–4 parts, each decimal, octal (leading 0) or hex (0x)."""
    parts = host[:-1].split(".") if host.endswith(".") else host.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    numbers = []
    for part in parts:
        if re.fullmatch(r"0[xX][0-9a-fA-F]*", part):
            numbers.append(int(part[2:] or "0", 16))
        elif re.fullmatch(r"0[0-7]*", part):
            numbers.append(int(part, 8))
        elif re.fullmatch(r"[1-9][0-9]*", part):
            numbers.append(int(part))
        else:
            return None
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        return None
    value = last
    for i, n in enumerate(head):
        value += n << (24 - 8 * i)
    return ipaddress.IPv4Address(value)


def vet_addresses(host: str, addresses: Iterable[IPAddress], settings: Settings) -> list[IPAddress]:
    """Check every address ``host`` resolved to; raise :class:`UnsafeURL` if any is forbidden."""
    addresses = list(dict.fromkeys(addresses))
    if not addresses:
        raise FetchError(f"cannot resolve host name {host!r}")
    if settings.ingest.allow_private:
        return addresses
    allowed = _allow_networks(settings)
    for address in addresses:
        if any(address.version == net.version and address in net for net in allowed):
            continue
        reason = forbidden_reason(address)
        if reason:
            shown = host if str(address) == host else f"{host} ({address})"
            raise UnsafeURL(f"refused to fetch {shown}: {reason} address",
                            hint="use --allow-private to fetch from private networks")
    return addresses


def _allow_networks(settings: Settings) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    networks = []
    for text in getattr(settings.ingest, "allow_networks", None) or []:
        try:
            networks.append(ipaddress.ip_network(str(text).strip(), strict=False))
        except ValueError:
            raise ConfigError(f"setting ingest.allow_networks: {text!r} is not a network "
                              f"(write it like 10.1.2.0/24)") from None
    return networks


# --- URL targets -------------------------------------------------------------------------


@dataclasses.dataclass
class Target:
    """Where one request goes: the URL as given, and the checked addresses of its host."""

    url: str
    parts: SplitResult
    host: str  # IDNA-encoded host name or IP literal, without brackets
    port: int
    addresses: list[IPAddress]

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.parts.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"

    def url_for(self, address: IPAddress) -> str:
        """The URL with its host replaced by ``address`` (what the connection uses)."""
        host = f"[{address}]" if address.version == 6 else str(address)
        return urlunsplit((self.parts.scheme, f"{host}:{self.port}", self.parts.path or "/",
                           self.parts.query, ""))


def split_url(url: str) -> tuple[SplitResult, str, int]:
    """Scheme-checked parts, host (IDNA) and port of ``url``; raises :class:`UnsafeURL`."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise FetchError(f"invalid URL {url!r}: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise UnsafeURL(f"refused to fetch {url!r}: only http and https URLs are fetched")
    if not parts.hostname:
        raise FetchError(f"invalid URL {url!r}: no host")
    host = parts.hostname
    if parse_ip_literal(host) is None:
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise FetchError(f"invalid host name in {url!r}") from None
    return parts._replace(scheme=scheme), host, port or (443 if scheme == "https" else 80)


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (an IP literal in any form is not looked up)."""
    literal = parse_ip_literal(host)
    if literal is not None:
        return [literal]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve host name {host!r} ({exc})") from None
    return [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]


def target(url: str, settings: Settings) -> Target:
    """Parse, resolve and check ``url``: the :class:`Target` to connect to."""
    parts, host, port = split_url(url)
    addresses = vet_addresses(host, resolve(host, port), settings)
    return Target(url=url, parts=parts, host=host, port=port, addresses=addresses)


def url_key(url: str) -> str:
    """The source key of a URL: the URL without its fragment, scheme and host lower-cased."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/",
                       parts.query, ""))


# --- fetching ----------------------------------------------------------------------------


def fetch(url: str, settings: Settings) -> RawInput:
    """Fetch ``url`` within the limits of ``settings.ingest`` (see the module documentation).

    Returns a :class:`RawInput` whose ``data`` is the (content-decoded) body, ``format`` is
    left empty for the reader to sniff, ``content_type`` is the response's, and
    ``hints["url"]`` is the final URL after redirects.
    """
    limit = settings.ingest.fetch_timeout_s
    deadline = time.monotonic() + limit
    cancel = threading.Event()
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["result"] = _fetch(url, settings, deadline, cancel)
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=work, name="storyline-fetch", daemon=True)
    worker.start()
    worker.join(limit + 0.25)
    if worker.is_alive():
        cancel.set()
        raise FetchError(f"timed out after {limit:g} s fetching {url}")
    if "error" in box:
        raise _as_input_error(box["error"], url, limit)
    return box["result"]


def _as_input_error(exc: BaseException, url: str, limit: float) -> StorylineError:
    if isinstance(exc, StorylineError):  # ours, incl. a ConfigError that must stop the run
        return exc
    if isinstance(exc, httpx.TimeoutException):
        return FetchError(f"timed out after {limit:g} s fetching {url}")
    if isinstance(exc, httpx.HTTPError):
        detail = str(exc) or type(exc).__name__
        return FetchError(f"cannot fetch {url}: {detail}")
    if isinstance(exc, OSError):
        return FetchError(f"cannot fetch {url}: {exc.strerror or exc}")
    return FetchError(f"cannot fetch {url}: {type(exc).__name__}: {exc}")


def _fetch(url: str, settings: Settings, deadline: float, cancel: threading.Event) -> RawInput:
    current = url
    for _ in range(settings.ingest.max_redirects + 1):
        tgt = target(current, settings)
        # a fresh client per hop: a pooled TLS connection made for one host name must never
        # carry a request for another name that happens to share its IP
        with _client() as client:
            response = send_pinned(client, tgt, settings, deadline)
            try:
                location = response.headers.get("location")
                if response.status_code in REDIRECT_CODES and location:
                    current = urljoin(current, location.strip())
                    continue
                if response.status_code >= 300:
                    raise FetchError(f"HTTP {response.status_code} {response.reason_phrase} "
                                     f"from {current}")
                body = read_body(response, settings, deadline, cancel)
                return RawInput(source_key=url_key(url), source=url, data=body,
                                content_type=response.headers.get("content-type", ""),
                                hints={"url": current})
            finally:
                response.close()
    raise FetchError(f"too many redirects (more than {settings.ingest.max_redirects}) from {url}")


def _client() -> httpx.Client:
    # trust_env=False: no proxy from the environment (a proxy would defeat the pinning)
    return httpx.Client(trust_env=False, follow_redirects=False)


def send_pinned(client: httpx.Client, tgt: Target, settings: Settings,
                deadline: float) -> httpx.Response:
    """Send a GET for ``tgt`` to one of its checked addresses (never resolving again).

    The request URL carries the IP; the ``Host`` header and the TLS server name (SNI, also
    used to verify the certificate) carry the original host name.
    """
    last_error: Exception | None = None
    for address in tgt.addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"timed out after {settings.ingest.fetch_timeout_s:g} s "
                             f"fetching {tgt.url}")
        extensions = {}
        if tgt.parts.scheme == "https" and parse_ip_literal(tgt.host) is None:
            extensions["sni_hostname"] = tgt.host
        request = client.build_request(
            "GET", tgt.url_for(address), extensions=extensions, timeout=httpx.Timeout(remaining),
            headers={"Host": tgt.host_header, "User-Agent": settings.ingest.user_agent,
                     "Accept": _ACCEPT, "Accept-Encoding": "gzip, deflate"})
        try:
            return client.send(request, stream=True)
        except httpx.ConnectError as exc:
            last_error = exc
    raise FetchError(f"cannot connect to {tgt.host}: {last_error}")


# --- reading the body --------------------------------------------------------------------


def read_body(response: httpx.Response, settings: Settings, deadline: float,
              cancel: threading.Event | None = None) -> bytes:
    """The response body, decompressed, refused past the size limits or the deadline."""
    limit = settings.ingest.max_fetch_bytes
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise InputTooLarge(f"response too large: {int(declared):,} bytes (limit {limit:,})")
    decoders = _decoders(response.headers.get("content-encoding", ""),
                         min(limit, settings.ingest.max_bytes))
    received = 0
    body = bytearray()
    for chunk in response.iter_raw():
        if (cancel is not None and cancel.is_set()) or time.monotonic() > deadline:
            raise FetchError(f"timed out after {settings.ingest.fetch_timeout_s:g} s reading "
                             f"{response.request.headers.get('host', '')}")
        received += len(chunk)
        if received > limit:
            raise InputTooLarge(f"response too large: more than {limit:,} bytes")
        for decoder in decoders:
            chunk = decoder.feed(chunk)
        body += chunk
        if len(body) > limit:
            raise InputTooLarge(f"response too large: more than {limit:,} bytes")
    for decoder in decoders:
        decoder.finish()
    return bytes(body)


def _decoders(header: str, limit: int) -> list[_Inflater]:
    codings = [c.strip().lower() for c in header.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if len(codings) > 2:
        raise FetchError(f"refused Content-Encoding {header!r}: too many layers")
    decoders = []
    for coding in reversed(codings):  # the last applied is the first to undo
        if coding not in ("gzip", "x-gzip", "deflate"):
            raise FetchError(f"unsupported Content-Encoding {coding!r}")
        decoders.append(_Inflater(coding, limit))
    return decoders


class _Inflater:
    """Incremental gzip/deflate decoder that refuses to produce more than ``limit`` bytes."""

    def __init__(self, coding: str, limit: int) -> None:
        self.coding = coding
        self.limit = limit
        self.produced = 0
        self._z: Any = None

    def _start(self, first: bytes) -> Any:
        if self.coding != "deflate":
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        zlib_header = (len(first) >= 2 and first[0] & 0x0F == 8
                       and (first[0] << 8 | first[1]) % 31 == 0)
        return zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)

    def feed(self, data: bytes) -> bytes:
        if not data:
            return b""
        if self._z is None:
            self._z = self._start(data)
        if self._z.eof:
            return b""  # trailing bytes after the compressed stream are ignored
        try:
            out = self._z.decompress(data, self.limit - self.produced + 1)
        except zlib.error as exc:
            raise FetchError(f"corrupt {self.coding} response body ({exc})") from None
        self.produced += len(out)
        if self.produced > self.limit:
            raise InputTooLarge(f"response decompresses to more than {self.limit:,} bytes "
                                f"(compression bomb?)")
        return out

    def finish(self) -> None:
        if self._z is not None and not self._z.eof:
            raise FetchError(f"truncated {self.coding} response body")
