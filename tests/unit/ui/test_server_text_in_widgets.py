"""Server text in the window: control and bidi characters appear as escapes, never as markup."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.core.models import Livestream, RealtimeApp
from app.core.safe_text import has_unsafe_characters
from app.ui.widgets.banner import Banner
from app.ui.widgets.copy_field import CopyField
from app.ui.widgets.credentials_form import CredentialsForm
from app.ui.widgets.recent_list import RecentLivestreamsWidget
from app.ui.widgets.result_panel import ResultPanel
from app.ui.widgets.status_badge import StatusBadge

HOSTILE = "show\x1b[2J\x07\r\u202eexe.txt<b>bold</b>"
ESCAPED = "show\\x1b[2J\\x07\\r\\u202eexe.txt"


def livestream(**fields) -> Livestream:
    values = {
        "id": "id\x1b]0;t\x07",
        "name": HOSTILE,
        "ingest_server": "rtmps://live.example.test:443/live/",
        "stream_key": "key-0123456789abcdef",
        "playback_url": "https://x.example.test/v.m3u8",
        "status": "WEIRD\x1b[31m",
        "created_at": datetime(2026, 11, 28, 12, tzinfo=UTC),
        **fields,
    }
    return Livestream(**values)


@pytest.fixture
def widget(qtbot):
    def make(cls, *args):
        made = cls(*args)
        qtbot.addWidget(made)
        return made

    return make


def test_banner_shows_escapes_as_plain_text(widget):
    banner = widget(Banner)
    banner.show_message("x", "Title\x1b", f"Cloudflare said: {HOSTILE}")
    assert ESCAPED in banner.message_label.text()
    assert "<b>bold</b>" in banner.message_label.text()  # shown as written, not as markup
    assert not has_unsafe_characters(banner.message_label.text() + banner.title_label.text())
    assert banner.message_label.textFormat().name == "PlainText"


def test_recent_list_rows_and_tooltips(widget):
    recent = widget(RecentLivestreamsWidget)
    recent.set_livestreams([livestream()])
    item = recent.list.item(0)
    assert ESCAPED in item.text()
    assert "\\x1b]0;t\\x07" in item.toolTip()
    assert not has_unsafe_characters(item.text() + item.toolTip())


def test_result_title_is_escaped_and_not_markup(widget):
    panel = widget(ResultPanel)
    panel.show_livestream(livestream())
    title = panel.title_label.text()
    assert "&lt;b&gt;bold&lt;/b&gt;" in title
    assert "ID id\\x1b]0;t\\x07" in title
    assert not has_unsafe_characters(title)


def test_status_badge_with_an_unknown_status(widget):
    badge = widget(StatusBadge)
    badge.set_status("WEIRD\x1b[31m")
    assert not has_unsafe_characters(badge.text() + badge.toolTip())


def test_app_picker_names(widget):
    form = widget(CredentialsForm)
    form.set_apps([RealtimeApp(id="app-1", name=HOSTILE)])
    assert ESCAPED in form.app_combo.itemText(0)
    assert not has_unsafe_characters(form.app_combo.itemText(0))


def test_copy_field_copies_the_value_and_shows_it_safely(widget):
    field = widget(CopyField, "Server")
    field.set_value("rtmp://host/\u202elive")
    assert field.value == "rtmp://host/\u202elive"
    assert field.line_edit.text() == "rtmp://host/\\u202elive"
