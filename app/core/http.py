"""The one shared HTTP client, and what its failures mean to a streamer."""

from __future__ import annotations

import logging
import socket
import ssl
from urllib.parse import urlsplit

import httpx

from app import about
from app.core.errors import NetworkError, NetworkProblem

log = logging.getLogger(__name__)

# Short connect timeout: an unreachable host should fail fast. Reads may take a while
# when Cloudflare is busy; the client also bounds each whole operation.
# The app's one HTTP client, as the window's composition root names it without importing httpx.
HttpClient = httpx.AsyncClient

TIMEOUT = httpx.Timeout(connect=5.0, read=15.0, write=10.0, pool=5.0)
LIMITS = httpx.Limits(max_connections=10, max_keepalive_connections=5)


def make_http_client() -> httpx.AsyncClient:
    """Created once per process by the entry point and handed to whoever needs it."""
    return httpx.AsyncClient(
        timeout=TIMEOUT,
        limits=LIMITS,
        headers={"User-Agent": about.USER_AGENT},
        follow_redirects=False,
        event_hooks={"response": [_log_response]},
    )


async def _log_response(response: httpx.Response) -> None:
    # Method, path and status only: never headers (the token) or bodies (stream keys).
    request = response.request
    log.debug("%s %s -> %s", request.method, request.url.path, response.status_code)


def network_error_from(error: httpx.TransportError, url: str) -> NetworkError:
    host = urlsplit(url).hostname or "the server"
    if isinstance(error, httpx.ConnectTimeout | httpx.PoolTimeout):
        return NetworkError(
            NetworkProblem.TIMEOUT,
            f"Could not connect to {host} in time: check your internet connection.",
            request_sent=False,
        )
    if isinstance(error, httpx.TimeoutException):
        return NetworkError(
            NetworkProblem.TIMEOUT,
            f"{host} did not answer in time: check your connection and try again.",
        )
    if isinstance(error, httpx.ConnectError):
        cause = _root_cause(error)
        if isinstance(cause, ssl.SSLError):
            return NetworkError(
                NetworkProblem.TLS,
                f"A secure connection to {host} could not be made (certificate problem); "
                "a proxy or antivirus may be intercepting HTTPS.",
                request_sent=False,
            )
        if isinstance(cause, socket.gaierror) or "name resolution" in str(error).lower():
            return NetworkError(
                NetworkProblem.DNS,
                f"Cannot find {host}: check that you are online.",
                request_sent=False,
            )
        if isinstance(cause, ConnectionRefusedError) or "refused" in str(error).lower():
            return NetworkError(
                NetworkProblem.REFUSED,
                f"{host} refused the connection: check your connection, proxy or firewall.",
                request_sent=False,
            )
        return NetworkError(
            NetworkProblem.OTHER,
            f"Could not connect to {host}: check your internet connection.",
            request_sent=False,
        )
    if isinstance(error, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return NetworkError(
            NetworkProblem.DROPPED,
            f"The connection to {host} dropped before it answered.",
        )
    return NetworkError(NetworkProblem.OTHER, f"The connection to {host} failed.")


def _root_cause(error: BaseException) -> BaseException:
    seen = {id(error)}
    while True:
        nxt = error.__cause__ or error.__context__
        if nxt is None or id(nxt) in seen:
            return error
        seen.add(id(nxt))
        error = nxt
