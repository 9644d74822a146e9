"""Sessions and usage requests against scripted answers: paths, parameters, paging."""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx
import pytest

from app.core.errors import InvalidInputError
from tests.unit.core.test_client import ACCOUNT, APP, NOW, Script, make_client, ok, slept, stream

__all__ = ["make_client", "slept"]  # fixtures used below

KIT = f"/client/v4/accounts/{ACCOUNT}/realtime/kit/{APP}"


def session(n: int, **extra) -> dict:
    return {"id": f"s{n}", "started_time": f"2026-11-28T1{n}:00:00Z", "ingest_seconds": n, **extra}


async def test_active_session_none_when_nothing_is_live(make_client):
    script = Script(httpx.Response(404, json={"success": False, "error": {"code": 404}}))
    active = await make_client(script).get_active_session(ACCOUNT, APP, "ls-1")
    assert active.session is None
    assert script.requests[0].url.path == f"{KIT}/livestreams/ls-1/active-livestream-session"


def one_per_page(total: int, newest: int):
    """Answers a livestream's details as described: page k holds the k-th newest session."""

    def answer(request: httpx.Request) -> httpx.Response:
        page_no = int(request.url.params["page_no"])
        data = {"livestream": stream(), "session": session(newest + 1 - page_no)}
        return ok({**data, "paging": {"total_count": total}})

    return answer


async def test_sessions_one_per_page_are_paged_through(make_client):
    answer = one_per_page(3, 3)
    script = Script(answer, answer, answer)
    history = await make_client(script).list_sessions(ACCOUNT, APP, "ls-1", limit=5)
    assert [s.id for s in history.sessions] == ["s3", "s2", "s1"]
    queries = sorted(tuple(sorted(r.url.params.items())) for r in script.requests)
    assert queries == [
        (("page_no", "1"), ("per_page", "5")),
        (("page_no", "2"), ("per_page", "1")),
        (("page_no", "3"), ("per_page", "1")),
    ]
    assert {r.url.path for r in script.requests} == {f"{KIT}/livestreams/ls-1"}


async def test_sessions_as_a_list_need_one_request_and_respect_the_limit(make_client):
    script = Script(ok({"sessions": [session(1), session(2), session(3)]}))
    history = await make_client(script).list_sessions(ACCOUNT, APP, "ls-1", limit=2)
    assert [s.id for s in history.sessions] == ["s3", "s2"]
    assert len(script.requests) == 1


async def test_paging_stops_at_the_limit(make_client):
    answer = one_per_page(50, 9)
    script = Script(answer, answer)
    history = await make_client(script).list_sessions(ACCOUNT, APP, "ls-1", limit=2)
    assert [s.id for s in history.sessions] == ["s9", "s8"]
    assert len(script.requests) == 2


async def test_one_session_by_id(make_client):
    script = Script(ok(session(4, viewer_seconds="12")))
    found = await make_client(script).get_session(ACCOUNT, APP, "s4")
    assert found.viewer_seconds == 12.0
    assert script.requests[0].url.path == f"{KIT}/livestreams/sessions/s4"


async def test_session_id_is_checked_before_sending(make_client):
    script = Script()
    with pytest.raises(InvalidInputError) as caught:
        await make_client(script).get_session(ACCOUNT, APP, "../apps")
    assert caught.value.field == "session_id"
    assert script.requests == []


async def test_usage_asks_both_endpoints_for_whole_utc_days(make_client):
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/overall"):
            return ok({"count": 2, "total_ingest_seconds": 90, "total_viewer_seconds": 30})
        return ok([{"date": "2026-11-27", "count": 1, "total_ingest_seconds": 90}])

    script = Script(answer, answer)
    report = await make_client(script).get_usage(ACCOUNT, APP, days=7)
    paths = sorted(r.url.path for r in script.requests)
    assert paths == [
        f"{KIT}/analytics/livestreams/daywise",
        f"{KIT}/analytics/livestreams/overall",
    ]
    start = int(datetime(2026, 11, 22, tzinfo=UTC).timestamp())
    for request in script.requests:
        assert dict(request.url.params) == {
            "start_time": str(start),
            "end_time": str(int(NOW.timestamp())),
        }
    assert report.first_day == date(2026, 11, 22) and report.last_day == date(2026, 11, 28)
    assert len(report.days) == 7
    assert report.days[5].ingest_seconds == 90.0
    assert report.days[5].viewer_seconds is None  # the row lacks it: unknown, not zero
    assert report.days[4].viewer_seconds == 0.0  # no row: nothing happened
    assert report.totals.livestream_count == 2


@pytest.mark.parametrize("days", [0, -1, 366])
async def test_usage_days_are_checked(make_client, days):
    script = Script()
    with pytest.raises(InvalidInputError):
        await make_client(script).get_usage(ACCOUNT, APP, days=days)
    assert script.requests == []
