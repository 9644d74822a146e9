"""Sessions and usage from Cloudflare's JSON: every shape the description, its examples and
real answers use, leniently.

Numbers arrive as integers, floats or strings and fields go missing. A number that cannot be
read is None (unknown), never zero, so no total is ever computed from a guess.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any, TypeVar

from app.core.errors import InvalidResponseError
from app.core.models import (
    ActiveSession,
    Livestream,
    LivestreamSession,
    SessionHistory,
    UsageDay,
    UsageReport,
    UsageTotals,
)
from app.core.parsing import parse_livestream, parse_timestamp

log = logging.getLogger(__name__)

# Any of these makes a mapping a session (rather than a livestream or nothing).
SESSION_KEYS = frozenset(
    {
        "livestream_id",
        "started_time",
        "invoked_time",
        "stopped_time",
        "ingest_seconds",
        "viewer_seconds",
        "err_message",
    }
)
UNREADABLE_USAGE = "Cloudflare's usage answer could not be read."

_Number = TypeVar("_Number", int, float)


def parse_session(obj: Any) -> LivestreamSession | None:
    """None when `obj` does not describe a session at all."""
    if not isinstance(obj, Mapping) or not (SESSION_KEYS & obj.keys() or _text(obj.get("id"))):
        return None
    return LivestreamSession(
        id=_text(obj.get("id")) or "",
        livestream_id=_text(obj.get("livestream_id")),
        status=_text(obj.get("status")),
        ingest_seconds=seconds(obj.get("ingest_seconds")),
        viewer_seconds=seconds(obj.get("viewer_seconds")),
        created_at=parse_timestamp(obj.get("created_at")),
        started_at=parse_timestamp(obj.get("started_time"))
        or parse_timestamp(obj.get("invoked_time")),
        error_message=_text(obj.get("err_message")),
        stopped_at=parse_timestamp(obj.get("stopped_time")),
    )


def parse_active_session(data: Any) -> ActiveSession:
    """`{livestream, session}` as described, or the session's fields right in `data`."""
    if not isinstance(data, Mapping):
        return ActiveSession(livestream=None, session=None)
    livestream = _livestream_in(data)
    nested = data.get("session")
    if isinstance(nested, list):
        nested = nested[0] if nested else None
    session = parse_session(nested) if nested is not None else None
    if session is None and SESSION_KEYS & data.keys():
        session = parse_session(data)
    return ActiveSession(livestream=livestream, session=session)


def parse_session_history(data: Any, paging: Mapping[str, Any] | None = None) -> SessionHistory:
    """A livestream with its sessions: one `session` per page as described, or `sessions`
    as a list beside or inside the livestream, or a bare list. Newest first."""
    livestream = None
    raw: list[Any] = []
    if isinstance(data, list):
        raw = data
    elif isinstance(data, Mapping):
        livestream = _livestream_in(data)
        inner = data.get("livestream")
        for container in (data, inner) if isinstance(inner, Mapping) else (data,):
            for key in ("sessions", "session"):
                value = container.get(key)
                if isinstance(value, list):
                    raw.extend(value)
                elif isinstance(value, Mapping):
                    raw.append(value)
    elif data is not None:
        raise InvalidResponseError("Cloudflare's list of sessions could not be read.")
    sessions = [s for s in (parse_session(item) for item in raw) if s is not None]
    unique = list({(s.id or str(i)): s for i, s in enumerate(sessions)}.values())
    # Newest first; sessions without a start keep their order, after the dated ones.
    dated = [(when, s) for s in unique if (when := s.started_at or s.created_at) is not None]
    dated.sort(key=lambda pair: pair[0], reverse=True)
    undated = [s for s in unique if not (s.started_at or s.created_at)]
    total = count((paging or {}).get("total_count"))
    return SessionHistory(livestream, tuple([s for _, s in dated] + undated), total)


def parse_usage_totals(data: Any) -> UsageTotals:
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if not isinstance(data, Mapping):
        return UsageTotals(None, None, None)
    return UsageTotals(
        livestream_count=count(data.get("count")),
        ingest_seconds=seconds(data.get("total_ingest_seconds")),
        viewer_seconds=seconds(data.get("total_viewer_seconds")),
    )


def parse_usage_rows(data: Any) -> list[UsageDay]:
    """Daywise rows: `data` is an array (or an object holding one); a row's date may be null."""
    if isinstance(data, Mapping):
        data = next((v for v in data.values() if isinstance(v, list)), [])
    if data is None:
        return []
    if not isinstance(data, list):
        raise InvalidResponseError(UNREADABLE_USAGE)
    rows = []
    for item in data:
        if not isinstance(item, Mapping):
            log.warning("Left out a usage row that is not an object")
            continue
        rows.append(
            UsageDay(
                day=parse_day(item.get("date")),
                session_count=count(item.get("count")),
                ingest_seconds=seconds(item.get("total_ingest_seconds")),
                viewer_seconds=seconds(item.get("total_viewer_seconds")),
            )
        )
    return rows


def usage_report(
    rows: Iterable[UsageDay], totals: UsageTotals, first_day: date, last_day: date
) -> UsageReport:
    """Every day of the range, zero where no row names it; rows of one day added up.

    A total the overall answer lacks is the sum of the rows, when every row knows it.
    """
    rows = list(rows)
    by_day: dict[date, UsageDay] = {}
    undated: list[UsageDay] = []
    for row in rows:
        if row.day is None:
            undated.append(row)
        elif first_day <= row.day <= last_day:
            by_day[row.day] = _add(by_day[row.day], row) if row.day in by_day else row
        else:
            log.info("Left out a usage row outside the range asked: %s", row.day)
    days = []
    day = first_day
    while day <= last_day:
        days.append(by_day.get(day, UsageDay(day)))
        day += timedelta(days=1)
    counted = [*by_day.values(), *undated]
    filled = UsageTotals(
        livestream_count=totals.livestream_count,
        ingest_seconds=_first_known(totals.ingest_seconds, counted, "ingest_seconds"),
        viewer_seconds=_first_known(totals.viewer_seconds, counted, "viewer_seconds"),
    )
    return UsageReport(first_day, last_day, tuple(days), filled, tuple(undated))


def parse_day(value: Any) -> date | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        moment = parse_timestamp(text)
        return moment.date() if moment else None


def seconds(value: Any) -> float | None:
    """A duration in seconds from an int, a float or a string; None when unusable."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or number < 0:
        return None
    return number


def count(value: Any) -> int | None:
    number = seconds(value)
    if number is None or number != int(number):
        return None
    return int(number)


def _add(a: UsageDay, b: UsageDay) -> UsageDay:
    def plus(x: _Number | None, y: _Number | None) -> _Number | None:
        return None if x is None or y is None else x + y

    return UsageDay(
        a.day,
        plus(a.session_count, b.session_count),
        plus(a.ingest_seconds, b.ingest_seconds),
        plus(a.viewer_seconds, b.viewer_seconds),
    )


def _first_known(total: float | None, rows: list[UsageDay], field: str) -> float | None:
    if total is not None:
        return total
    values = [getattr(row, field) for row in rows]
    if any(value is None for value in values):
        return None
    return float(sum(values))


def _livestream_in(data: Mapping[str, Any]) -> Livestream | None:
    raw = data.get("livestream")
    if not isinstance(raw, Mapping):
        return None
    try:
        return parse_livestream(raw)
    except InvalidResponseError as error:
        log.warning("A session names a livestream that could not be read: %s", error)
        return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
