"""Sessions and usage in every shape Cloudflare's description, examples and real answers use."""

from datetime import UTC, date, datetime

import pytest

from app.core.errors import InvalidResponseError
from app.core.models import UsageDay, UsageTotals
from app.core.session_parsing import (
    count,
    parse_active_session,
    parse_day,
    parse_session,
    parse_session_history,
    parse_usage_rows,
    parse_usage_totals,
    seconds,
    usage_report,
)
from tests.unit.core.test_parsing import STREAM

SESSION = {
    "id": "5f2c1e0a-0000-4000-8000-000000000001",
    "livestream_id": STREAM["id"],
    "created_at": "2026-11-29T20:00:00.000Z",
    "started_time": "2026-11-29T20:00:01.500Z",
    "ingest_seconds": "125.5",
    "viewer_seconds": 40,
}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (12, 12.0),
        (12.5, 12.5),
        ("12", 12.0),
        (" 7.25 ", 7.25),
        ("", None),
        ("twelve", None),
        (None, None),
        (True, None),  # a bool is no duration
        (-3, None),
        ("nan", None),
        ("inf", None),
        ([1], None),
    ],
)
def test_seconds_read_from_any_number_shape(raw, expected):
    assert seconds(raw) == expected


def test_counts_are_whole():
    assert count("4") == 4 and count(4.0) == 4
    assert count(4.5) is None and count("x") is None


def test_nested_active_session():
    active = parse_active_session({"livestream": STREAM, "session": SESSION})
    assert active.livestream.id == STREAM["id"]
    session = active.session
    assert session.id == SESSION["id"]
    assert session.ingest_seconds == 125.5 and session.viewer_seconds == 40.0
    assert session.started_at == datetime(2026, 11, 29, 20, 0, 1, 500000, tzinfo=UTC)
    assert session.stopped_at is None


def test_flat_active_session():
    active = parse_active_session(SESSION)
    assert active.livestream is None
    assert active.session.id == SESSION["id"] and active.session.ingest_seconds == 125.5


def test_active_session_as_a_list_of_one():
    assert parse_active_session({"session": [SESSION]}).session.id == SESSION["id"]


@pytest.mark.parametrize("data", [None, [], "text", {}, {"session": None}, {"session": {}}])
def test_no_active_session(data):
    assert parse_active_session(data).session is None


def test_session_with_missing_fields_and_null_dates():
    session = parse_session({"ingest_seconds": None, "started_time": None, "err_message": ""})
    assert session is not None
    assert session.id == ""
    assert session.ingest_seconds is None and session.viewer_seconds is None
    assert session.started_at is None and session.error_message is None
    assert session.duration_seconds(datetime.now(UTC)) is None


def test_session_start_falls_back_to_invoked_time_and_has_a_duration():
    session = parse_session(
        {
            "id": "s",
            "invoked_time": "2026-11-29T20:00:00Z",
            "stopped_time": "2026-11-29T20:01:30Z",
            "err_message": " Input codec not supported ",
        }
    )
    assert session.started_at == datetime(2026, 11, 29, 20, 0, tzinfo=UTC)
    assert session.duration_seconds(datetime(2030, 1, 1, tzinfo=UTC)) == 90.0
    assert session.error_message == "Input codec not supported"


def test_running_session_lasts_until_now():
    session = parse_session(SESSION)
    now = datetime(2026, 11, 29, 20, 1, 1, 500000, tzinfo=UTC)
    assert session.duration_seconds(now) == 60.0


def older(minutes: int, **extra) -> dict:
    return {"id": f"s{minutes}", "started_time": f"2026-11-29T19:{59 - minutes:02d}:00Z", **extra}


def test_history_in_the_described_shape_one_session_per_page():
    history = parse_session_history(
        {"livestream": STREAM, "session": SESSION, "paging": {"total_count": 3}},
        {"total_count": 3},
    )
    assert history.livestream.id == STREAM["id"]
    assert [s.id for s in history.sessions] == [SESSION["id"]]
    assert history.total_count == 3


@pytest.mark.parametrize(
    "data",
    [
        {"livestream": STREAM, "sessions": [older(5), older(1), older(9)]},
        {"livestream": {**STREAM, "sessions": [older(9), older(5), older(1)]}},
        {"session": [older(1), older(9), older(5)]},
        [older(9), older(1), older(5)],
    ],
)
def test_history_lists_in_every_shape_come_newest_first(data):
    history = parse_session_history(data)
    assert [s.id for s in history.sessions] == ["s1", "s5", "s9"]


def test_history_keeps_undated_sessions_last_and_skips_junk():
    history = parse_session_history(
        {"sessions": [{"id": "undated"}, older(3), "junk", None, {}, older(3)]}
    )
    assert [s.id for s in history.sessions] == ["s3", "undated"]


def test_history_without_sessions():
    assert parse_session_history({"livestream": STREAM}).sessions == ()
    assert parse_session_history(None).sessions == ()
    with pytest.raises(InvalidResponseError):
        parse_session_history("<html>")


def test_totals_in_the_described_shape_and_with_strings():
    assert parse_usage_totals(
        {"count": 4, "total_ingest_seconds": 531, "total_viewer_seconds": 116}
    ) == UsageTotals(4, 531.0, 116.0)
    assert parse_usage_totals(
        [{"count": "4", "total_ingest_seconds": "531.5", "total_viewer_seconds": None}]
    ) == UsageTotals(4, 531.5, None)
    assert parse_usage_totals(None) == UsageTotals(None, None, None)


def test_daily_rows_in_every_shape():
    rows = parse_usage_rows(
        [
            {
                "count": 4,
                "date": "2023-07-15",
                "total_ingest_seconds": 531,
                "total_viewer_seconds": 116,
            },
            {"count": "2", "date": "2023-07-16T00:00:00.000Z", "total_ingest_seconds": "60.5"},
            {"count": 1, "date": None, "total_ingest_seconds": 10, "total_viewer_seconds": "5"},
            "junk",
        ]
    )
    assert rows == [
        UsageDay(date(2023, 7, 15), 4, 531.0, 116.0),
        UsageDay(date(2023, 7, 16), 2, 60.5, None),
        UsageDay(None, 1, 10.0, 5.0),
    ]
    assert parse_usage_rows({"days": [{"date": "2023-07-15"}]})[0].day == date(2023, 7, 15)
    assert parse_usage_rows(None) == []
    with pytest.raises(InvalidResponseError):
        parse_usage_rows("nope")


@pytest.mark.parametrize("raw", [None, "", "yesterday", 20230715, "2023-13-40"])
def test_unreadable_dates_are_none(raw):
    assert parse_day(raw) is None


def test_report_fills_every_day_with_zero_and_adds_up_duplicates():
    rows = [
        UsageDay(date(2026, 11, 28), 1, 100.0, 30.0),
        UsageDay(date(2026, 11, 28), 2, 50.0, 20.0),
        UsageDay(date(2026, 11, 30), 1, 10.0, 0.0),
        UsageDay(date(2026, 10, 1), 9, 999.0, 999.0),  # outside the range
    ]
    report = usage_report(rows, UsageTotals(2, 160.0, 50.0), date(2026, 11, 27), date(2026, 11, 30))
    assert [d.day for d in report.days] == [date(2026, 11, d) for d in (27, 28, 29, 30)]
    assert report.days[0] == UsageDay(date(2026, 11, 27), 0, 0.0, 0.0)
    assert report.days[1] == UsageDay(date(2026, 11, 28), 3, 150.0, 50.0)
    assert report.days[2].ingest_seconds == 0.0
    assert report.totals == UsageTotals(2, 160.0, 50.0)


def test_missing_totals_are_summed_only_when_every_row_knows_them():
    rows = [
        UsageDay(date(2026, 11, 29), 1, 100.0, None),
        UsageDay(None, 1, 20.0, 5.0),
    ]
    report = usage_report(
        rows, UsageTotals(None, None, None), date(2026, 11, 29), date(2026, 11, 29)
    )
    assert report.totals == UsageTotals(None, 120.0, None)  # never a viewer total from a guess
    assert report.undated == (UsageDay(None, 1, 20.0, 5.0),)


def test_a_duplicate_day_with_an_unknown_value_stays_unknown():
    rows = [UsageDay(date(2026, 11, 29), 1, 100.0, 1.0), UsageDay(date(2026, 11, 29), 1, None, 1.0)]
    report = usage_report(rows, UsageTotals(1, None, None), date(2026, 11, 29), date(2026, 11, 29))
    assert report.days[0].ingest_seconds is None and report.days[0].viewer_seconds == 2.0
    assert report.totals.ingest_seconds is None


def test_history_beside_a_livestream_that_is_only_an_id():
    history = parse_session_history({"livestream": STREAM["id"], "sessions": [older(2), older(7)]})
    assert history.livestream is None
    assert [s.id for s in history.sessions] == ["s2", "s7"]
