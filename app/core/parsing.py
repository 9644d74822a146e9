"""Builds the typed models from Cloudflare's JSON, leniently, validating what matters."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from app.core.errors import InvalidResponseError
from app.core.models import (
    ActiveSession,
    Livestream,
    LivestreamPage,
    LivestreamSession,
    Paging,
    RealtimeApp,
    TokenVerification,
)
from app.core.redaction import register_secret
from app.core.validation import check_delivered_value, check_ingest_server, check_playback_url

log = logging.getLogger(__name__)

INCOMPLETE_LIVESTREAM = (
    "Cloudflare's answer lacks the livestream's ingest server, stream key or playback URL."
)


def parse_livestream(obj: Any) -> Livestream:
    if not isinstance(obj, Mapping):
        raise InvalidResponseError(INCOMPLETE_LIVESTREAM)
    livestream_id = _text(obj.get("id"))
    ingest_server = _delivered(obj, "ingest_server", "ingest server")
    stream_key = _delivered(obj, "stream_key", "stream key")
    playback_url = _delivered(obj, "playback_url", "playback URL")
    if not (livestream_id and ingest_server and stream_key and playback_url):
        raise InvalidResponseError(INCOMPLETE_LIVESTREAM)
    register_secret(stream_key)
    return Livestream(
        id=livestream_id,
        name=_text(obj.get("name")),
        ingest_server=check_ingest_server(ingest_server),
        stream_key=stream_key,
        playback_url=check_playback_url(playback_url),
        status=(_text(obj.get("status")) or "UNKNOWN").upper(),
        disabled=parse_bool(obj.get("disabled")),
        meeting_id=_text(obj.get("meeting_id")),
        created_at=parse_timestamp(obj.get("created_at")),
        updated_at=parse_timestamp(obj.get("updated_at")),
    )


def parse_single_livestream(data: Any) -> Livestream:
    """The one-livestream endpoints wrap it as `{livestream, session}` or return it bare."""
    if isinstance(data, Mapping) and isinstance(data.get("livestream"), Mapping):
        return parse_livestream(data["livestream"])
    return parse_livestream(data)


def parse_livestream_page(data: Any, paging: Mapping[str, Any] | None) -> LivestreamPage:
    """`data` is an array in real answers and an object in the schema: accept both.

    A malformed entry is left out (and logged) rather than failing the whole list.
    """
    items = _livestream_items(data)
    livestreams = []
    for item in items:
        try:
            livestreams.append(parse_livestream(item))
        except InvalidResponseError as error:
            log.warning("Left out a livestream Cloudflare described oddly: %s", error)
    return LivestreamPage(tuple(livestreams), parse_paging(paging, len(items)))


def parse_livestream_ids(data: Any) -> frozenset[str]:
    """Every id a list of livestreams names, even of entries too odd to use."""
    return frozenset(
        text
        for item in _livestream_items(data)
        if isinstance(item, Mapping) and (text := _text(item.get("id")))
    )


def _livestream_items(data: Any) -> list[Any]:
    if isinstance(data, list):
        items = data
    elif isinstance(data, Mapping):
        nested = data.get("livestreams")
        if isinstance(nested, list):
            items = nested
        else:
            items = [data] if "id" in data else []
    elif data is None:
        items = []
    else:
        raise InvalidResponseError("Cloudflare's list of livestreams could not be read.")
    return items


def parse_paging(paging: Mapping[str, Any] | None, count: int) -> Paging | None:
    if not paging:
        return None
    total = _int(paging.get("total_count"))
    start = _int(paging.get("start_offset"))
    end = _int(paging.get("end_offset"))
    page_no = _int(paging.get("page_no"))
    per_page = _int(paging.get("per_page"))
    if per_page is None:
        per_page = (end - start + 1) if start is not None and end is not None else count
    if page_no is None:
        page_no = (start - 1) // per_page + 1 if start and per_page else 1
    return Paging(page_no=page_no, per_page=max(per_page, 1), total_count=total)


def parse_apps(data: Any) -> list[RealtimeApp]:
    if isinstance(data, Mapping):
        data = data.get("apps", data.get("data", []))
    if not isinstance(data, list):
        raise InvalidResponseError("Cloudflare's list of apps could not be read.")
    apps = []
    for item in data:
        app_id = _text(item.get("id")) if isinstance(item, Mapping) else None
        if not app_id:
            log.warning("Left out an app without an id")
            continue
        apps.append(
            RealtimeApp(
                id=app_id,
                name=_text(item.get("name")) or app_id,
                created_at=parse_timestamp(item.get("created_at")),
            )
        )
    return apps


def parse_active_session(data: Any) -> ActiveSession:
    if not isinstance(data, Mapping):
        return ActiveSession(livestream=None, session=None)
    livestream = None
    if isinstance(data.get("livestream"), Mapping):
        try:
            livestream = parse_livestream(data["livestream"])
        except InvalidResponseError as error:
            log.warning("Active session names a livestream that could not be read: %s", error)
    raw = data.get("session")
    session = None
    if isinstance(raw, Mapping) and _text(raw.get("id")):
        session = LivestreamSession(
            id=str(raw["id"]),
            livestream_id=_text(raw.get("livestream_id")),
            status=_text(raw.get("status")),
            ingest_seconds=_float(raw.get("ingest_seconds")),
            viewer_seconds=_float(raw.get("viewer_seconds")),
            created_at=parse_timestamp(raw.get("created_at")),
            started_at=parse_timestamp(raw.get("started_time") or raw.get("invoked_time")),
            error_message=_text(raw.get("err_message")),
        )
    return ActiveSession(livestream=livestream, session=session)


def parse_token_verification(data: Any) -> TokenVerification:
    if not isinstance(data, Mapping) or not _text(data.get("status")):
        raise InvalidResponseError("Cloudflare's token check answer could not be read.")
    return TokenVerification(
        id=_text(data.get("id")),
        status=str(data["status"]).lower(),
        expires_on=parse_timestamp(data.get("expires_on")),
    )


def parse_bool(value: Any) -> bool:
    """`disabled` is a bool in one endpoint and a string ("false") in others."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes"}
    if isinstance(value, int | float):
        return value != 0
    return False


def parse_timestamp(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _delivered(obj: Mapping[str, Any], key: str, label: str) -> str | None:
    """A value handed to the clipboard, OBS or the player: checked as it came, unstripped."""
    value = obj.get(key)
    if value is None or value == "":
        return None
    return check_delivered_value(str(value), label)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
