"""Cloudflare's answer shapes: the envelopes and how a livestream and a session look in them.

The shapes differ on purpose between endpoints, as they do in Cloudflare's own description:
create answers `disabled` as a bool and `meeting_id: null`; list, get and active-session answer
`disabled` as a string; a session's seconds are strings in active-session, numbers in the
livestream's details and integers on their own, as each endpoint describes them. Other null fields
(an unnamed livestream's name) are left out, as the description allows no null there.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from app.emulator.broadcast import BroadcastSession
from app.emulator.store import EmulatedApp, LivestreamRecord

JSON_TYPE = "application/json; charset=utf-8"


@dataclass(slots=True)
class Response:
    status: int
    body: bytes
    content_type: str = JSON_TYPE
    headers: dict[str, str] = field(default_factory=dict)


def iso(wall: float) -> str:
    """ISO 8601 in UTC with milliseconds, as RealtimeKit writes it: 2023-07-15T11:48:34.753Z."""
    moment = datetime.fromtimestamp(wall, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def json_response(status: int, payload: object, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(payload, separators=(",", ":")).encode()
    return Response(status, body, JSON_TYPE, dict(headers or {}))


def kit_success(status: int, data: object, paging: dict | None = None) -> Response:
    payload: dict[str, object] = {"success": True, "data": data}
    if paging is not None:
        payload["paging"] = paging
    return json_response(status, payload)


def kit_error(status: int, message: str) -> Response:
    """RealtimeKit's own failure envelope: one `error` object whose code is the HTTP status."""
    return json_response(status, {"success": False, "error": {"code": status, "message": message}})


def gateway_error(
    status: int, code: int, message: str, headers: dict[str, str] | None = None, **extra: object
) -> Response:
    """The API gateway's standard v4 failure envelope (auth, routing, rate limits)."""
    error: dict[str, object] = {"code": code, "message": message, **extra}
    payload = {"success": False, "errors": [error], "messages": [], "result": None}
    return json_response(status, payload, headers)


def v4_success(result: object, messages: list[dict] | None = None) -> Response:
    payload = {"success": True, "errors": [], "messages": messages or [], "result": result}
    return json_response(200, payload)


def paging(total: int, start_index: int, count: int) -> dict[str, int]:
    """1-based inclusive offsets of the page within the whole list; 0/0 for an empty page."""
    if count == 0:
        return {"total_count": total, "start_offset": 0, "end_offset": 0}
    return {
        "total_count": total,
        "start_offset": start_index + 1,
        "end_offset": start_index + count,
    }


def created_livestream(record: LivestreamRecord) -> dict[str, object]:
    fields: dict[str, object] = {
        "id": record.id,
        "ingest_server": record.ingest_server,
        "stream_key": record.stream_key,
        "playback_url": record.playback_url,
        "status": "INVOKED",
        "disabled": record.disabled,
        "meeting_id": record.meeting_id,
        "created_at": iso(record.created_wall),
        "updated_at": iso(record.created_wall),
    }
    if record.name is not None:  # the description has no null name; unnamed ones have none
        fields["name"] = record.name
    return fields


def listed_livestream(record: LivestreamRecord) -> dict[str, object]:
    fields: dict[str, object] = {
        "id": record.id,
        "name": record.name,
        "ingest_server": record.ingest_server,
        "stream_key": record.stream_key,
        "playback_url": record.playback_url,
        "status": record.status,
        "disabled": "true" if record.disabled else "false",
        "meeting_id": record.meeting_id,
        "created_at": iso(record.created_wall),
        "updated_at": iso(record.updated_wall),
    }
    return {key: value for key, value in fields.items() if value is not None}


def seconds_as_text(value: float) -> str:
    return f"{value:g}"


def session_fields(
    session: BroadcastSession,
    livestream_id: str,
    *,
    seconds: Callable[[float], object] = float,
) -> dict[str, object]:
    fields: dict[str, object] = {
        "id": session.id,
        "livestream_id": livestream_id,
        "created_at": iso(session.started_wall),
        "updated_at": iso(session.stopped_wall or session.started_wall),
        "invoked_time": iso(session.started_wall),
        "started_time": iso(session.started_wall),
        "ingest_seconds": seconds(session.ingest_seconds),
        "viewer_seconds": seconds(session.viewer_seconds),
    }
    if session.stopped_wall is not None:
        fields["stopped_time"] = iso(session.stopped_wall)
    if session.error_message is not None:
        fields["err_message"] = session.error_message
    return fields


def usage_totals(sessions: Iterable[tuple[str, BroadcastSession]]) -> dict[str, int]:
    """The overall analytics of (livestream id, session) pairs: described as integers."""
    sessions = list(sessions)
    return {
        "count": len({livestream_id for livestream_id, _ in sessions}),
        "total_ingest_seconds": round(sum(s.ingest_seconds for _, s in sessions)),
        "total_viewer_seconds": round(sum(s.viewer_seconds for _, s in sessions)),
    }


def usage_days(sessions: Iterable[tuple[str, BroadcastSession]]) -> list[dict[str, object]]:
    """Daywise analytics: one row per UTC day that had sessions, by the day each started."""
    days: dict[str, list[BroadcastSession]] = {}
    for _, session in sessions:
        day = datetime.fromtimestamp(session.started_wall, UTC).date().isoformat()
        days.setdefault(day, []).append(session)
    return [
        {
            "count": len(day_sessions),
            "date": day,
            "total_ingest_seconds": round(sum(s.ingest_seconds for s in day_sessions)),
            "total_viewer_seconds": round(sum(s.viewer_seconds for s in day_sessions)),
        }
        for day, day_sessions in sorted(days.items())
    ]


def app_fields(app: EmulatedApp) -> dict[str, object]:
    return {"id": app.id, "name": app.name, "created_at": iso(app.created_wall)}
