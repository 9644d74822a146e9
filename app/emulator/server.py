"""The running emulator: a threaded HTTP server on 127.0.0.1 speaking Cloudflare's API.

Stdlib only, in a daemon thread, so tests, the CLI and the GUI's demo mode can start it in-process
without an event loop of their own.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import socket
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from app.emulator import wire
from app.emulator.api import Call, KitApi, method_not_allowed
from app.emulator.broadcast import Broadcast
from app.emulator.demo import (
    DEMO_ACCOUNT_ID,
    DEMO_APP_ID,
    DEMO_APP_NAME,
    DEMO_TOKEN,
    NO_PERMISSION_TOKEN,
)
from app.emulator.faults import Fault, FaultKind, FaultPlan
from app.emulator.hls import HLS_PREFIX, HlsPattern
from app.emulator.requests_log import (
    API_PREFIX,
    RecordedRequest,
    RequestLog,
    masked_headers,
    parse_json,
)
from app.emulator.store import LivestreamRecord, Store
from app.emulator.wire import Response

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
DEFAULT_INGEST_SERVER = "rtmp://127.0.0.1:1935/live/"
DEFAULT_RETRY_AFTER = 1
HLS_METHODS = ("GET", "HEAD")
# What the emulator serves anywhere; a path it does not know allows these.
SERVED_METHODS = ["GET", "HEAD", "POST"]
EDGE_ERROR_PAGE = """<!DOCTYPE html>
<html lang="en-US"><head><title>{status} {reason} | api.cloudflare.com | Cloudflare</title></head>
<body><div id="cf-error-details"><h1>{reason}</h1>
<p>Error code {status}</p><p>Cloudflare Ray ID: {ray}</p></div></body></html>
"""


class Emulator:
    """Cloudflare's RealtimeKit API and a live HLS test pattern, on one loopback port."""

    def __init__(
        self,
        port: int = 0,
        live_after: float | None = 5.0,
        ingest_server: str | None = None,
        playback_url_template: str | None = None,
    ) -> None:
        self._requested_port = port
        self._live_after = live_after
        self._ingest_server = ingest_server or DEFAULT_INGEST_SERVER
        self._playback_url_template = playback_url_template
        self.faults = FaultPlan()
        self._log = RequestLog()
        self._store = Store()
        self._pattern = HlsPattern()
        self._api = KitApi(self._store, self._urls_for, self._new_broadcast)
        self._api.add_token(DEMO_TOKEN, realtime=True)
        self._api.add_token(NO_PERMISSION_TOKEN, realtime=False)
        self._store.add_app(DEMO_ACCOUNT_ID, DEMO_APP_ID, DEMO_APP_NAME)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> Emulator:
        if self._server is not None:
            raise RuntimeError("the emulator is already running")
        self._stopping.clear()
        server = _Server((HOST, self._requested_port), _Handler)
        server.emulator = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="emulator",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()  # wakes delayed replies
        server.shutdown()
        server.close_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the emulator is not running")
        return self._server.server_address[1]

    @property
    def origin(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def base_url(self) -> str:
        return self.origin + API_PREFIX

    # -- state for tests and demo mode -------------------------------------------------

    def add_app(self, account_id: str, app_id: str, name: str) -> None:
        self._store.add_app(account_id, app_id, name)

    def add_token(self, token: str, *, realtime: bool = True) -> None:
        self._api.add_token(token, realtime=realtime)

    def livestreams(self, account_id: str, app_id: str) -> list[LivestreamRecord]:
        """Oldest first."""
        return self._store.livestreams(account_id, app_id)

    def broadcast(self, livestream_id: str) -> Broadcast:
        """Test controls for a livestream's test pattern: start(), stall(), end(), resume()."""
        record = self._store.livestream(livestream_id)
        if record is None:
            raise KeyError(livestream_id)
        return record.broadcast

    @property
    def requests(self) -> list[RecordedRequest]:
        return self._log.snapshot()

    def clear_requests(self) -> None:
        self._log.clear()

    # -- wiring ------------------------------------------------------------------------

    def _urls_for(self, livestream_id: str, stream_key: str) -> tuple[str, str]:
        if self._playback_url_template is not None:
            playback_url = self._playback_url_template.format(
                stream_key=stream_key, livestream_id=livestream_id
            )
        else:
            playback_url = f"{self.origin}{HLS_PREFIX}{livestream_id}/manifest/video.m3u8"
        return self._ingest_server, playback_url

    def _new_broadcast(self) -> Broadcast:
        return Broadcast(self._live_after, preroll=self._pattern.preroll_seconds)

    def _route(self, method: str, path: str) -> tuple[str, object, dict]:
        if path.startswith(API_PREFIX + "/"):
            return self._api.route(method, path[len(API_PREFIX) :])
        if path.startswith(HLS_PREFIX):
            if method in HLS_METHODS:
                return self._pattern.route(path, self._store)
            return "", lambda call: method_not_allowed(list(HLS_METHODS)), {}
        return "", lambda call: wire.gateway_error(404, 7003, "No route for that URI"), {}

    def allowed_methods(self, path: str) -> list[str]:
        if path.startswith(API_PREFIX + "/"):
            return self._api.allowed_methods(path[len(API_PREFIX) :]) or SERVED_METHODS
        return list(HLS_METHODS) if path.startswith(HLS_PREFIX) else SERVED_METHODS

    def addressed_to_me(self, host_header: str | None) -> bool:
        """Only its own loopback address or localhost, with its port: a web page reaching it
        through DNS rebinding sends its own host name, and is refused."""
        port = self.port
        return (host_header or "").strip().lower() in (f"{HOST}:{port}", f"localhost:{port}")

    def _handle(self, handler: _Handler) -> Response | None:
        """One request, faults applied; None means: close the connection without a reply."""
        raw_path, _, query_text = handler.path.partition("?")
        body = handler.read_body()
        if not self.addressed_to_me(handler.headers.get("Host")):
            return wire.gateway_error(
                421, 7003, f"This emulator answers only requests for {HOST}:{self.port}"
            )
        endpoint, respond, params = self._route(handler.command, raw_path)
        fault = self.faults.take(endpoint) if endpoint else None
        self._log.add(
            RecordedRequest(
                method=handler.command,
                path=raw_path,
                query=parse_qs(query_text, keep_blank_values=True),
                headers=masked_headers(handler.headers),
                json=parse_json(body),
                body=body,
                endpoint=endpoint,
                fault=fault.kind if fault else None,
            )
        )
        if fault is not None and fault.kind in _REFUSED_BEFORE_PROCESSING:
            return _refusal(fault)
        query = parse_qs(query_text, keep_blank_values=True)
        response = respond(Call(handler.command, params, query, handler.headers, body))
        if fault is None:
            return response
        if fault.kind is FaultKind.DROP_AFTER:
            return None
        if fault.kind is FaultKind.MALFORMED_JSON:
            response.body = _malformed(response)
        elif fault.kind is FaultKind.DELAY:
            self._stopping.wait(fault.delay)
        return response


_REFUSED_BEFORE_PROCESSING = frozenset(
    {FaultKind.DROP_BEFORE, FaultKind.RATE_LIMIT, FaultKind.SERVER_ERROR_HTML}
)


def _refusal(fault: Fault) -> Response | None:
    if fault.kind is FaultKind.DROP_BEFORE:
        return None
    if fault.kind is FaultKind.RATE_LIMIT:
        retry_after = DEFAULT_RETRY_AFTER if fault.retry_after is None else fault.retry_after
        return wire.gateway_error(
            429,
            971,
            "Please wait and consider throttling your request speed",
            headers={"Retry-After": str(retry_after)},
        )
    status = fault.status or 502
    reason = {502: "Bad gateway", 503: "Service unavailable"}.get(status, "Server error")
    page = EDGE_ERROR_PAGE.format(status=status, reason=reason, ray=secrets.token_hex(8))
    return Response(status, page.encode(), "text/html; charset=UTF-8")


def _malformed(response: Response) -> bytes:
    if response.content_type.startswith("application/json"):
        # Cut mid-object: never valid JSON, whatever the payload.
        return response.body[: max(1, len(response.body) // 2)]
    return b"\x00\xff<not a playlist>"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    emulator: Emulator

    def __init__(self, *args, **kwargs) -> None:
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request, client_address) -> None:
        # A client that hangs up mid-reply is routine here (tests drop connections on purpose).
        log.debug("connection from %s ended with an error", client_address, exc_info=True)

    def close_connections(self) -> None:
        """Kept-alive connections would otherwise go on being served after stop()."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "cloudflare"
    sys_version = ""
    timeout = 60  # idle kept-alive connections
    # Headers and body go out as separate writes; with Nagle on, delayed ACKs add ~40 ms a reply.
    disable_nagle_algorithm = True
    server: _Server

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """JSON like every other answer, never Python's HTML page; an unknown method is a 405."""
        self.close_connection = True
        if code == HTTPStatus.NOT_IMPLEMENTED and self.command:
            path = (self.path or "").partition("?")[0]
            response = method_not_allowed(self.server.emulator.allowed_methods(path))
        else:
            response = wire.gateway_error(code, code, message or HTTPStatus(code).phrase)
        self._send(response)

    def read_body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if length is None:
            if self.headers.get("Transfer-Encoding"):
                self.close_connection = True  # no chunked bodies here: don't misread the next
            return b""
        try:
            return self.rfile.read(int(length))
        except ValueError:
            self.close_connection = True
            return b""

    def _serve(self) -> None:
        try:
            response = self.server.emulator._handle(self)
        except Exception:
            # A bug here must read as a server error to the client, not as a dropped connection.
            log.exception("emulator failed on %s %s", self.command, self.path.partition("?")[0])
            response = wire.gateway_error(500, 10001, "Internal emulator error")
            self.close_connection = True
        if response is None:
            self.close_connection = True
            return
        self._send(response)

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("CF-RAY", secrets.token_hex(8))
        for name, value in response.headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")  # or a kept-alive client reuses a dead socket
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:
        # Paths hold no secrets: stream keys only appear in overridden playback URLs.
        log.debug("%s %s", self.address_string(), format % args)
