"""The sessions views given what Cloudflare may leave out: no session while live, sessions that
failed, usage rows without a date."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.core.models import KnownStatus, LivestreamSession, SessionHistory, UsageDay, UsageTotals
from app.core.session_parsing import usage_report
from app.core.session_text import explain_error
from app.ui.sessions.controller import SessionSnapshot
from app.ui.sessions.history_dialog import RESULT_COLUMN, SessionHistoryDialog
from app.ui.sessions.summary_widget import SessionSummaryWidget

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
STARTED = datetime(2026, 11, 30, 11, 55, tzinfo=UTC)


@pytest.fixture
def summary(qtbot):
    widget = SessionSummaryWidget(now=lambda: NOW)
    qtbot.addWidget(widget)
    widget.show_livestream("ls-1")
    return widget


def rows_shown(widget: SessionSummaryWidget) -> bool:
    return widget.ingest_label.isVisibleTo(widget)


def test_live_without_a_session_shows_no_session_rows(summary):
    summary.show_snapshot(SessionSnapshot("ls-1", KnownStatus.LIVE, None))
    assert not rows_shown(summary)
    assert summary.ingest_label.text() == ""
    assert not summary.error_label.isVisibleTo(summary)


def test_live_with_a_session_shows_its_times(summary):
    session = LivestreamSession(
        "s1", "ls-1", "LIVE", ingest_seconds=90.0, viewer_seconds=30.0, started_at=STARTED
    )
    summary.show_snapshot(SessionSnapshot("ls-1", KnownStatus.LIVE, session))
    assert rows_shown(summary)
    assert summary.viewer_label.text() == "0.5 viewer minutes"
    summary.show_snapshot(SessionSnapshot("ls-1", KnownStatus.LIVE, None))
    assert not rows_shown(summary)


def test_history_explains_a_failure_on_its_result_cell(qtbot):
    dialog = SessionHistoryDialog(now=lambda: NOW)
    qtbot.addWidget(dialog)
    assert dialog.rows() == []
    failed = LivestreamSession("s1", "ls-1", None, started_at=STARTED, error_message="bad key")
    ended = LivestreamSession("s2", "ls-1", None, started_at=STARTED, stopped_at=NOW)
    dialog.show_history(SessionHistory(None, (failed, ended), 2))
    rows = dialog.rows()
    assert [row[RESULT_COLUMN] for row in rows] == ["Failed: bad key", "Ended"]
    fix = explain_error("bad key")
    assert dialog.table.item(0, RESULT_COLUMN).toolTip() == f"{fix.said}\n{fix.fix}"
    assert dialog.table.item(1, RESULT_COLUMN).toolTip() == ""


def test_usage_rows_without_a_date_count_in_the_totals_but_not_on_the_chart(qtbot):
    from app.ui.sessions.usage_dialog import UsageDialog, day_of

    first, last = date(2026, 11, 28), date(2026, 11, 30)
    rows = [UsageDay(date(2026, 11, 29), 1, 120.0, 60.0), UsageDay(None, 1, 600.0, 0.0)]
    report = usage_report(rows, UsageTotals(2, None, None), first, last)
    dialog = UsageDialog()
    qtbot.addWidget(dialog)
    dialog.show_report(report)
    points = dialog.ingest_series.points()
    assert [day_of(p.x()) for p in points] == [first, date(2026, 11, 29), last]
    assert [p.y() for p in points] == [0.0, 2.0, 0.0]
    assert "1 row(s) came without a date" in dialog.status_label.text()
    assert "12 min" in dialog.totals_label.text()
