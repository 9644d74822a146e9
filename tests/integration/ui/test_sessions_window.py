"""Sessions and usage in the real window against the real emulator over loopback."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMenu

from app.core.session_text import duration_text
from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID, DEMO_TOKEN
from tests.integration.ui.test_main_window import WAIT_MS, click_create, wait_for_result

pytestmark = pytest.mark.integration

KIT = f"/accounts/{DEMO_ACCOUNT_ID}/realtime/kit/{DEMO_APP_ID}"


def created(window, qtbot, emulator):
    click_create(window, qtbot)
    wait_for_result(window, qtbot)
    [record] = emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID)
    return record


def test_card_shows_live_since_ingest_and_viewers(make_window, emulator, qtbot):
    window = make_window(watch_interval_s=0.5)
    record = created(window, qtbot, emulator)
    summary = window.sessions.summary
    qtbot.waitUntil(lambda: summary.live_since_label.isVisible(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: summary.snapshot.session.ingest_seconds > 1.0, timeout=WAIT_MS)
    shown = summary.snapshot.session
    [session] = record.broadcast.sessions()
    assert shown.id == session.id
    assert shown.started_at.timestamp() == pytest.approx(session.started_wall, abs=0.001)
    # What the emulator counted by now is at least what the card was told.
    assert 0 < shown.ingest_seconds <= record.broadcast.active_session().ingest_seconds
    assert summary.ingest_label.text() == duration_text(shown.ingest_seconds)
    assert summary.viewer_label.text().endswith("viewer minutes")
    since = shown.started_at.astimezone().strftime("%H:%M:%S")
    assert summary.live_since_label.text().startswith(since + " (")
    assert not summary.error_label.isVisible()
    # The session rides on the status checks: at most one more request each (and one on show).
    actives = [r for r in emulator.requests if r.endpoint == "active_session"]
    status_checks = [r for r in emulator.requests if r.endpoint == "get"]
    assert 1 <= len(actives) <= len(status_checks) + 1

    record.broadcast.end()  # off air: the rows go away with the next status answer
    qtbot.waitUntil(lambda: not summary.live_since_label.isVisible(), timeout=WAIT_MS)


def test_errored_livestream_says_why_and_what_to_do(make_window, emulator, qtbot):
    window = make_window(watch_interval_s=0.5)
    record = created(window, qtbot, emulator)
    record.broadcast.fail("Unsupported video codec HEVC")
    label = window.sessions.summary.error_label
    qtbot.waitUntil(label.isVisible, timeout=WAIT_MS)
    assert label.text().startswith("Cloudflare says: \u201cUnsupported video codec HEVC\u201d")
    assert "H.264 video with AAC audio" in label.text()
    assert not window.sessions.summary.live_since_label.isVisible()


def test_past_sessions_table_from_the_card_and_the_recent_list(make_window, emulator, qtbot):
    window = make_window()
    record = created(window, qtbot, emulator)
    record.broadcast.add_past_session(time.time() - 7200, 1800.0, 600.0)
    record.broadcast.add_past_session(time.time() - 3600, 60.0, 0.0, "Input timed out")
    qtbot.mouseClick(window.sessions.summary.history_button, Qt.MouseButton.LeftButton)
    dialog = window.sessions.history_dialog
    qtbot.waitUntil(lambda: dialog.table.rowCount() >= 2, timeout=WAIT_MS)
    rows = dialog.rows()
    assert [row[1:4] for row in rows[-2:]] == [
        ["1 min 00 s", "1 min 00 s", "0 s"],
        ["30 min 00 s", "30 min 00 s", "10 min 00 s"],
    ]
    assert rows[-2][4] == "Failed: Input timed out"
    assert "stopped sending" in dialog.table.item(len(rows) - 2, 4).toolTip()
    assert rows[-1][4] == "Ended"
    dialog.close()

    # The same table from the Recent list's context menu.
    qtbot.waitUntil(lambda: window.recent.list.count() == 1, timeout=WAIT_MS)
    recent = window.recent.list
    position = recent.visualItemRect(recent.item(0)).center()
    recent.customContextMenuRequested.emit(position)
    menu = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible())
    dialog.table.setRowCount(0)
    menu.actions()[0].trigger()
    qtbot.waitUntil(lambda: dialog.table.rowCount() >= 2, timeout=WAIT_MS)
    assert dialog.isVisible()
    assert recent.itemAt(QPoint(-5, -5)) is None  # a click beside the rows offers nothing


def api_daily_minutes(emulator, days: int) -> dict:
    """The API's own daily rows, read with a plain HTTP client."""
    now = datetime.now(UTC)
    first = (now - timedelta(days=days - 1)).date()
    start = int(datetime(first.year, first.month, first.day, tzinfo=UTC).timestamp())
    with httpx.Client(
        base_url=emulator.base_url, headers={"Authorization": f"Bearer {DEMO_TOKEN}"}
    ) as api:
        rows = api.get(
            f"{KIT}/analytics/livestreams/daywise",
            params={"start_time": start, "end_time": int(now.timestamp())},
        ).json()["data"]
    return {
        row["date"]: (row["total_ingest_seconds"] / 60, row["total_viewer_seconds"] / 60)
        for row in rows
    }


def test_usage_chart_is_the_apis_daily_rows_with_empty_days_zero(make_window, emulator, qtbot):
    from app.ui.sessions.usage_dialog import day_of

    window = make_window()
    record = created(window, qtbot, emulator)
    noon = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    for days_ago, ingest, viewers in ((1, 1800, 900), (3, 600, 0), (3, 1200, 300), (20, 3600, 60)):
        record.broadcast.add_past_session(
            (noon - timedelta(days=days_ago)).timestamp(), ingest, viewers
        )
    window.sessions.usage_action.trigger()
    dialog = window.sessions.usage_dialog
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=WAIT_MS)
    for days in (30, 7):
        if dialog.days != days:
            dialog.report = None
            dialog.range_combo.setCurrentIndex(dialog.range_combo.findData(days))
            qtbot.waitUntil(lambda: dialog.report is not None, timeout=WAIT_MS)
        expected = api_daily_minutes(emulator, days)
        ingest = dialog.ingest_series.points()
        viewers = dialog.viewer_series.points()
        assert len(ingest) == len(viewers) == days  # a point on every day
        for point_i, point_v in zip(ingest, viewers, strict=True):
            day = day_of(point_i.x()).isoformat()
            assert (point_i.y(), point_v.y()) == pytest.approx(expected.get(day, (0.0, 0.0)))
        nonzero = [p for p in ingest if p.y() > 0]
        assert len(nonzero) == len(expected) and len(expected) >= 2
    totals = dialog.report.totals
    assert totals.ingest_seconds == 1800 + 600 + 1200
    assert "1 livestream" in dialog.totals_label.text()


def test_usage_needs_credentials(make_window, qtbot):
    window = make_window()
    window.form.account_edit.setText("not-an-account")
    window.sessions.usage_action.trigger()
    assert window.sessions.usage_dialog is None
    assert "valid account ID" in window.statusBar().currentMessage()
