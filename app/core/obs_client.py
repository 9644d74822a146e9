"""One identified obs-websocket 5 session, on simpleobsws, with every failure typed.

simpleobsws does the protocol (Hello/Identify with the SHA-256 challenge,
MessagePack framing, request ids). What it leaves open is handled here:
- a refused password or RPC version only closes the socket, and simpleobsws
  would then wait for identification until its timeout, so the wait also ends
  when its receive task ends, and the close code says why;
- a request whose answer never comes (OBS quit) would wait for the full timeout,
  so requests also end when the connection does;
- at DEBUG level it logs whole payloads, stream keys included, so its logger is
  held at INFO.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import simpleobsws
import websockets

from app.core.obs_errors import (
    ObsAuthError,
    ObsNotReachableError,
    ObsRequestError,
    ObsTimeoutError,
    ObsVersionError,
)
from app.core.obs_settings import ObsSettings
from app.core.redaction import redact, register_secret

log = logging.getLogger(__name__)
logging.getLogger("simpleobsws").setLevel(logging.INFO)

DEFAULT_TIMEOUT = 5.0
CLOSE_TIMEOUT = 2.0
SUBPROTOCOL = "obswebsocket.msgpack"
RPC_VERSION = 1
# obs-websocket 5 WebSocketCloseCode values.
CLOSE_AUTHENTICATION_FAILED = 4009
CLOSE_UNSUPPORTED_RPC_VERSION = 4010
# obs-websocket 5 RequestStatus.OutputRunning.
STATUS_OUTPUT_RUNNING = 500


@dataclass(frozen=True, slots=True)
class StreamStatus:
    active: bool
    reconnecting: bool


@dataclass(frozen=True, slots=True)
class StreamService:
    service_type: str
    server: str | None
    # Kept out of repr: a logged StreamService never shows the key.
    key: str | None = None

    def __repr__(self) -> str:
        return f"StreamService(service_type={self.service_type!r}, server={self.server!r})"


class ObsClient:
    """Use as `async with ObsClient(settings, password) as obs:`; every step is bounded by
    `timeout` seconds and raises an ObsError subclass."""

    def __init__(
        self,
        settings: ObsSettings,
        password: str | None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        event_subscriptions: int | None = None,
    ) -> None:
        """`event_subscriptions`: obs-websocket EventSubscription bits; None leaves OBS's
        default (every low-volume category)."""
        register_secret(password)
        self.settings = settings
        self.timeout = timeout
        self._password = password or ""
        self._ws = simpleobsws.WebSocketClient(
            url=settings.url,
            password=self._password,
            identification_parameters=simpleobsws.IdentificationParameters(
                eventSubscriptions=event_subscriptions
            ),
        )
        self.obs_websocket_version: str | None = None

    async def __aenter__(self) -> ObsClient:
        await self.connect()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def connect(self) -> None:
        address = self.settings.address
        try:
            async with asyncio.timeout(self.timeout):
                await self._ws.connect()
        except TimeoutError:
            await self.close()
            raise ObsTimeoutError(f"connecting to {address}", self.timeout) from None
        except ConnectionRefusedError:
            raise ObsNotReachableError(address) from None
        except socket.gaierror:
            raise ObsNotReachableError(
                address, detail=f"The host name {self.settings.host!r} is unknown"
            ) from None
        except websockets.exceptions.InvalidHandshake as error:
            raise ObsVersionError(address, f"the WebSocket handshake failed: {error}") from None
        except OSError as error:
            raise ObsNotReachableError(
                address, detail=f"Could not reach {address} ({error.strerror or error})"
            ) from None
        if self._ws.ws.subprotocol != SUBPROTOCOL:
            # An obs-websocket 4 server accepts the socket but ignores the v5 subprotocols.
            await self.close()
            raise ObsVersionError(address, "it does not offer the obs-websocket 5 protocol")
        await self._identify()

    async def _identify(self) -> None:
        address = self.settings.address
        identified = asyncio.ensure_future(self._ws.wait_until_identified(self.timeout + 1))
        receiving = self._ws.recv_task
        try:
            await asyncio.wait(
                {identified, receiving},
                timeout=self.timeout,
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            identified.cancel()
        hello = self._ws.hello_message
        if self._ws.identified and hello is not None and _speaks_rpc_v1(hello):
            self.obs_websocket_version = hello.get("obsWebSocketVersion")
            return
        close_code = self._ws.ws.close_code if self._ws.ws is not None else None
        closed_by_obs = receiving.done()
        await self.close()
        if close_code == CLOSE_AUTHENTICATION_FAILED:
            raise ObsAuthError(password_given=bool(self._password))
        if close_code == CLOSE_UNSUPPORTED_RPC_VERSION or (
            hello is not None and not _speaks_rpc_v1(hello)
        ):
            raise ObsVersionError(address, "it does not support obs-websocket RPC version 1")
        if closed_by_obs:
            raise ObsRequestError(
                f"OBS at {address} closed the connection before it was ready "
                f"(close code {close_code}). Try again; restart OBS if it keeps happening.",
                code=close_code,
            )
        raise ObsTimeoutError("waiting for the obs-websocket greeting", self.timeout)

    def on_event(self, callback: Callable[[object], None]) -> None:
        """Calls `callback` with each event message's payload (the "d" of op 5) as OBS sent
        it: unchecked, for the caller to validate."""

        async def deliver(payload: object) -> None:
            callback(payload)

        self._ws.register_event_callback(deliver)

    async def wait_closed(self) -> None:
        """Returns when the connection has ended (OBS quit, the network went, or close())."""
        receiving = self._ws.recv_task
        if receiving is None:
            return
        await asyncio.wait({receiving})
        if not receiving.cancelled() and receiving.exception() is not None:
            # simpleobsws gives up on a message it cannot read as {"op": ..., "d": ...}.
            log.debug("the OBS connection ended on an unreadable message")

    async def close(self) -> None:
        if self._ws.recv_task is None:
            return
        with contextlib.suppress(TimeoutError, OSError, websockets.exceptions.WebSocketException):
            async with asyncio.timeout(CLOSE_TIMEOUT):
                await self._ws.disconnect()

    async def request(
        self, request_type: str, data: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Sends one request and returns its responseData ({} when none)."""
        receiving = self._ws.recv_task
        if receiving is None or receiving.done() or not self._ws.identified:
            raise ObsRequestError(
                f"The connection to OBS is closed; {request_type} was not sent. Try again."
            )
        call = asyncio.ensure_future(
            self._ws.call(simpleobsws.Request(request_type, data), timeout=self.timeout + 1)
        )
        try:
            await asyncio.wait(
                {call, receiving}, timeout=self.timeout, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            if not call.done():
                call.cancel()
        if not call.done() or call.cancelled():
            if receiving.done():
                raise ObsRequestError(
                    f"OBS closed the connection during {request_type}. Check OBS is still "
                    "running, then try again."
                )
            raise ObsTimeoutError(request_type, self.timeout)
        try:
            response = call.result()
        except simpleobsws.MessageTimeout:
            raise ObsTimeoutError(request_type, self.timeout) from None
        except (KeyError, TypeError) as error:
            raise ObsRequestError(f"OBS sent an unreadable answer to {request_type}.") from error
        if not response.ok():
            status = response.requestStatus
            # OBS's comment may quote what was sent: masked like a log line.
            comment = f": {redact(str(status.comment))}" if status.comment else ""
            raise ObsRequestError(
                f"OBS refused {request_type} (code {status.code}{comment}).", code=status.code
            )
        return response.responseData if isinstance(response.responseData, dict) else {}

    async def obs_version(self) -> str | None:
        data = await self.request("GetVersion")
        version = data.get("obsVersion")
        return version if isinstance(version, str) else None

    async def stream_status(self) -> StreamStatus:
        data = await self.request("GetStreamStatus")
        active = data.get("outputActive")
        if not isinstance(active, bool):
            raise ObsRequestError("OBS sent a stream status without outputActive.")
        return StreamStatus(active=active, reconnecting=data.get("outputReconnecting") is True)

    async def stream_service(self) -> StreamService:
        data = await self.request("GetStreamServiceSettings")
        settings = data.get("streamServiceSettings")
        settings = settings if isinstance(settings, dict) else {}
        server, key = settings.get("server"), settings.get("key")
        register_secret(key if isinstance(key, str) else None)
        return StreamService(
            service_type=str(data.get("streamServiceType", "")),
            server=server if isinstance(server, str) else None,
            key=key if isinstance(key, str) else None,
        )

    async def set_custom_stream_service(self, server: str, key: str) -> None:
        register_secret(key)
        await self.request(
            "SetStreamServiceSettings",
            {
                "streamServiceType": "rtmp_custom",
                # OBS merges these over the old custom settings: a stale username and password
                # from an earlier server would otherwise be sent to this one.
                "streamServiceSettings": {"server": server, "key": key, "use_auth": False},
            },
        )

    async def start_stream(self) -> None:
        await self.request("StartStream")


def _speaks_rpc_v1(hello: dict[str, Any]) -> bool:
    version = hello.get("rpcVersion")
    return isinstance(version, int) and not isinstance(version, bool) and version >= RPC_VERSION
