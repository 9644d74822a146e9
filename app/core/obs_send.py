"""Send to OBS: point OBS's custom stream service at a livestream, and prove it took.

Also the optional second step, starting the stream in OBS, which only ever runs
when the user presses its button.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.models import Livestream
from app.core.obs_client import DEFAULT_TIMEOUT, ObsClient
from app.core.obs_errors import ObsLiveError, ObsTargetChangedError, ObsVerifyError
from app.core.obs_settings import ObsSettings
from app.core.redaction import register_secret

SENT_MESSAGE = "OBS is set to stream to this livestream. Press Start Streaming in OBS."
STARTED_MESSAGE = "OBS started streaming to this livestream."


@dataclass(frozen=True, slots=True)
class ObsSendResult:
    address: str
    ingest_server: str
    obs_version: str | None
    obs_websocket_version: str | None

    @property
    def message(self) -> str:
        return SENT_MESSAGE


async def send_to_obs(
    settings: ObsSettings,
    password: str | None,
    livestream: Livestream,
    *,
    timeout: float = DEFAULT_TIMEOUT,
) -> ObsSendResult:
    """Refuses while OBS is live (OBS would reject the change anyway, and the user would lose
    their running stream's target); otherwise sets rtmp_custom and reads it back."""
    register_secret(livestream.stream_key)
    async with ObsClient(settings, password, timeout=timeout) as obs:
        obs_version = await obs.obs_version()
        if (await obs.stream_status()).active:
            raise ObsLiveError()
        await obs.set_custom_stream_service(livestream.ingest_server, livestream.stream_key)
        service = await obs.stream_service()
        if service.service_type != "rtmp_custom":
            raise ObsVerifyError("service type")
        if service.server != livestream.ingest_server:
            raise ObsVerifyError("server")
        if service.key != livestream.stream_key:
            raise ObsVerifyError("stream key")
        return ObsSendResult(
            address=settings.address,
            ingest_server=service.server,
            obs_version=obs_version,
            obs_websocket_version=obs.obs_websocket_version,
        )


async def start_streaming_in_obs(
    settings: ObsSettings,
    password: str | None,
    livestream: Livestream,
    *,
    timeout: float = DEFAULT_TIMEOUT,
) -> None:
    """Starts OBS's stream, but only if OBS still points at this livestream: the user may have
    changed OBS since sending, and a stream must never go somewhere they did not choose."""
    register_secret(livestream.stream_key)
    async with ObsClient(settings, password, timeout=timeout) as obs:
        service = await obs.stream_service()
        if service.server != livestream.ingest_server or service.key != livestream.stream_key:
            raise ObsTargetChangedError()
        if (await obs.stream_status()).active:
            return  # already streaming to this livestream
        await obs.start_stream()
