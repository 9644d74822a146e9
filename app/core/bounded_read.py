"""One HTTP exchange with a cap on what it downloads and a deadline on how long it takes.

httpx bounds each phase (connect, each read) but not the whole: a server that trickles
one byte a second, a 500 MB body or a gzip bomb would hold a task or fill memory. Here
the body is streamed and decoded chunk by chunk (zlib with ``max_length``, so a bomb
never expands past the cap in memory), and one deadline covers connect, headers and body.

Redirects are never followed blindly. With ``check_redirect`` a caller follows them hop
by hop: the hook sees each absolute target URL *before* anything connects to it and
raises (any exception, typically a ``CompanionError``) to refuse it.
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

import httpx

from app.core.errors import InvalidResponseError, NetworkError, NetworkProblem
from app.core.http import network_error_from

# Encodings this module can decode with a bound; the request asks for these only.
ACCEPT_ENCODING = "gzip, deflate"
_ZLIB_WBITS = {
    "gzip": 16 + zlib.MAX_WBITS,
    "x-gzip": 16 + zlib.MAX_WBITS,
    "deflate": zlib.MAX_WBITS,
}
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5

RedirectCheck = Callable[[httpx.URL], None]


@dataclass(frozen=True, slots=True)
class BoundedResponse:
    status: int
    # Header names are lower-case; repeated headers are joined with ", ".
    headers: Mapping[str, str]
    # The URL that gave this answer (after any redirects the caller allowed).
    url: str
    content: bytes


async def bounded_request(
    http: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    max_bytes: int,
    deadline: float,
    max_decoded_bytes: int | None = None,
    params: Mapping[str, Any] | None = None,
    json: Any = None,
    headers: Mapping[str, str] | None = None,
    check_redirect: RedirectCheck | None = None,
) -> BoundedResponse:
    """Sends one request and reads its whole answer within the limits.

    ``max_bytes`` caps the bytes downloaded, ``max_decoded_bytes`` (default: the same) the
    body after decompression, and ``deadline`` (seconds) the whole exchange, every
    redirect hop included. Without ``check_redirect`` a 3xx answer is returned as it is.

    Raises ``InvalidResponseError`` (unreadable=True) when the answer is far too large or
    in an encoding the app cannot bound, ``NetworkError`` for transport failures and
    ``NetworkError(TIMEOUT)`` when the deadline passes.
    """
    decoded_cap = max_bytes if max_decoded_bytes is None else max_decoded_bytes
    try:
        async with asyncio.timeout(deadline):
            return await _exchange(
                http,
                http.build_request(
                    method,
                    url,
                    params=params,
                    json=json,
                    headers={**(headers or {}), "Accept-Encoding": ACCEPT_ENCODING},
                ),
                max_bytes,
                decoded_cap,
                check_redirect,
            )
    except TimeoutError:
        raise NetworkError(
            NetworkProblem.TIMEOUT,
            f"{_host(url)} did not answer in time: check your connection and try again.",
        ) from None


async def _exchange(
    http: httpx.AsyncClient,
    request: httpx.Request,
    max_bytes: int,
    decoded_cap: int,
    check_redirect: RedirectCheck | None,
) -> BoundedResponse:
    for _hop in range(MAX_REDIRECTS + 1):
        try:
            response = await http.send(request, stream=True, follow_redirects=False)
        except httpx.TransportError as error:
            raise network_error_from(error, str(request.url)) from None
        try:
            if check_redirect is not None and response.status_code in REDIRECT_STATUSES:
                request = _next_hop(request, response, check_redirect)
                continue
            content = await _read_body(response, max_bytes, decoded_cap)
        finally:
            await response.aclose()
        return BoundedResponse(
            status=response.status_code,
            headers=MappingProxyType(dict(response.headers.items())),
            url=str(response.url),
            content=content,
        )
    raise InvalidResponseError(
        f"{_host(str(request.url))} redirected too many times.", unreadable=True
    )


def _next_hop(
    request: httpx.Request, response: httpx.Response, check_redirect: RedirectCheck
) -> httpx.Request:
    location = response.headers.get("location")
    if not location:
        raise InvalidResponseError(
            f"{_host(str(request.url))} redirected without saying where.", unreadable=True
        )
    try:
        target = request.url.join(location)
    except httpx.InvalidURL:
        raise InvalidResponseError(
            f"{_host(str(request.url))} redirected to an address that is not valid.",
            unreadable=True,
        ) from None
    check_redirect(target)
    method = request.method
    if response.status_code == 303 and method != "HEAD":
        method = "GET"
    headers = httpx.Headers(request.headers)
    same_origin = (target.scheme, target.host, target.port) == (
        request.url.scheme,
        request.url.host,
        request.url.port,
    )
    if not same_origin:
        # As browsers do: credentials never follow a redirect to another origin.
        headers.pop("Authorization", None)
        headers.pop("Cookie", None)
    headers.pop("Host", None)
    body = request.content if method == request.method and method not in ("GET", "HEAD") else None
    if body is None:
        headers.pop("Content-Length", None)
        headers.pop("Content-Type", None)
    return httpx.Request(method, target, headers=headers, content=body)


async def _read_body(response: httpx.Response, max_bytes: int, decoded_cap: int) -> bytes:
    too_large = InvalidResponseError(
        f"The answer from {_host(str(response.url))} was far too large to be real, so it "
        "was not read. Try again later.",
        unreadable=True,
    )
    if response.is_stream_consumed:
        # Built in memory (a test transport): already read and decoded, nothing to bound.
        if len(response.content) > decoded_cap:
            raise too_large
        return response.content
    declared = response.headers.get("content-length")
    if declared and declared.strip().isdigit() and int(declared) > max_bytes:
        raise too_large
    decoder = _CappedDecoder(response.headers.get("content-encoding", ""), decoded_cap, response)
    downloaded = 0
    try:
        async for chunk in response.aiter_raw():
            downloaded += len(chunk)
            if downloaded > max_bytes:
                raise too_large
            if not decoder.feed(chunk):
                raise too_large
        if not decoder.finish():
            raise too_large
    except httpx.TransportError as error:
        raise network_error_from(error, str(response.url)) from None
    return decoder.content()


class _CappedDecoder:
    """Decodes a body piece by piece and says False as soon as it would pass the cap."""

    def __init__(self, content_encoding: str, cap: int, response: httpx.Response) -> None:
        encoding = content_encoding.strip().lower()
        if encoding in ("", "identity"):
            self._zlib = None
        elif encoding in _ZLIB_WBITS:
            self._zlib = zlib.decompressobj(_ZLIB_WBITS[encoding])
        else:
            raise InvalidResponseError(
                f"{_host(str(response.url))} answered in an encoding the app does not read "
                f"({encoding[:40]!r}).",
                unreadable=True,
            )
        self._encoding = encoding
        self._first = True
        self._cap = cap
        self._parts: list[bytes] = []
        self._size = 0
        self._url = str(response.url)

    def feed(self, chunk: bytes) -> bool:
        if self._zlib is None:
            return self._keep(chunk)
        room = self._cap - self._size
        try:
            # At most room + 1 bytes come out: one more than allowed proves it is too large.
            piece = self._zlib.decompress(chunk, room + 1)
        except zlib.error:
            if not self._may_be_raw_deflate():
                raise self._corrupt() from None
            # Some servers send "deflate" without its zlib header, as browsers accept.
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            self._first = False
            return self.feed(chunk)
        self._first = False
        return self._keep(piece)

    def _may_be_raw_deflate(self) -> bool:
        return self._encoding == "deflate" and self._first

    def finish(self) -> bool:
        if self._zlib is None:
            return True
        try:
            return self._keep(self._zlib.flush())
        except zlib.error:
            raise self._corrupt() from None

    def content(self) -> bytes:
        return b"".join(self._parts)

    def _keep(self, piece: bytes) -> bool:
        self._size += len(piece)
        if self._size > self._cap:
            return False
        if piece:
            self._parts.append(piece)
        return True

    def _corrupt(self) -> InvalidResponseError:
        return InvalidResponseError(
            f"The answer from {_host(self._url)} was damaged ({self._encoding} data that "
            "does not decode).",
            unreadable=True,
        )


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or "the server"
    except ValueError:
        return "the server"
