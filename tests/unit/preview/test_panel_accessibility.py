"""The preview panel's controls are named for screen readers and explained by tooltips."""

from __future__ import annotations

import os

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QAbstractSlider, QCheckBox

from app.core.preview_phase import Phase
from app.ui.preview.external_player import NO_PLAYER, POLL_MS
from app.ui.preview.panel import PreviewPanel


@pytest.fixture
def panel(qtbot, qloop):
    widget = PreviewPanel()
    widget.resize(640, 480)
    widget.show()
    yield widget
    closing = qloop.create_task(widget.shutdown())
    qtbot.waitUntil(closing.done, timeout=10_000)
    closing.result()
    widget.close()
    widget.deleteLater()


def spoken(widget) -> str:
    """What a screen reader reads first: the accessible name Qt exposes."""
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)


def controls(panel: PreviewPanel) -> list:
    return [*panel.findChildren(QAbstractButton), *panel.findChildren(QAbstractSlider)]


def test_every_control_has_an_accessible_name_and_a_tooltip(panel):
    found = controls(panel)
    assert {panel.mute_button, panel.volume_slider, panel.detach_button} <= set(found)
    assert {panel.external_button, panel.retry_button} <= set(found)
    unnamed = [type(w).__name__ + ":" + w.objectName() for w in found if not w.accessibleName()]
    untipped = [w.accessibleName() for w in found if not w.toolTip()]
    assert unnamed == [] and untipped == []
    assert panel.video.accessibleName()


def test_labels_that_show_state_say_it_in_their_name(panel):
    panel.show_url("http://127.0.0.1:9/live.m3u8", ingest_server="rtmp://127.0.0.1/live/")
    assert spoken(panel.badge) == "Preview: Waiting for the broadcast"
    assert "Start streaming to rtmp://127.0.0.1/live/ in OBS" in spoken(panel.message)
    assert "<" not in spoken(panel.message)  # words, not markup
    panel.detail_label.setVisible(True)
    assert spoken(panel.detail_label) == panel.detail_label.text() != ""


def test_with_nothing_selected_the_badge_shows_no_state_word(panel):
    assert panel.phase is Phase.IDLE
    assert not panel.badge.isVisible()
    assert "idle" not in panel.badge.text().lower()
    assert panel.state_text() == "No stream selected"


def test_a_state_shows_its_badge_and_clearing_hides_it_again(panel):
    panel.show_url("http://example.com/live.m3u8")  # refused before any request
    assert panel.badge.isVisible()
    assert panel.badge.text() == panel.state_text() == "Preview error"
    assert "https://" in panel.badge.accessibleDescription()
    assert panel.retry_button.isVisible() and panel.retry_button.accessibleName()
    panel.clear()
    assert not panel.badge.isVisible()


def test_the_state_is_said_once_what_to_do_in_large_type(panel):
    assert "No stream selected" in panel.message.text()  # no badge: the message says it
    panel.show_url("http://127.0.0.1:9/live.m3u8", ingest_server="rtmp://127.0.0.1/live/")
    assert panel.phase is Phase.WAITING
    assert panel.badge.text() == "Waiting for the broadcast"
    assert "Waiting for the broadcast" not in panel.message.text()
    assert "Start streaming to rtmp://127.0.0.1/live/ in OBS" in panel.message.text()
    panel.detach_button.click()  # the detached window has no badge: its message says it
    assert "Waiting for the broadcast" in panel.message.text()
    panel.detach_button.click()
    assert "Waiting for the broadcast" not in panel.message.text()


def test_mute_is_a_tick_box_whose_tick_is_the_state(panel):
    button = panel.mute_button
    assert isinstance(button, QCheckBox)
    name = button.accessibleName()
    assert button.isChecked() and panel.player.is_muted()
    assert "muted" in button.accessibleDescription()
    button.click()
    assert button.accessibleName() == name == "Mute preview"
    assert not button.isChecked() and not panel.player.is_muted()
    assert "plays its sound" in button.accessibleDescription()
    assert button.toolTip() == "Tick to mute the preview."


def test_detach_button_names_what_it_will_do(panel, qtbot):
    button = panel.detach_button
    assert button.accessibleName() == "Show the preview in its own window"
    button.click()
    assert button.text() == "Bring back"
    assert button.accessibleName() == "Bring the preview back into this window"
    assert button.toolTip()
    button.click()
    assert button.accessibleName() == "Show the preview in its own window"


def fake_opener(tmp_path, monkeypatch, exit_code: int):
    """An xdg-open on PATH that records the URL it was given and exits with exit_code."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "xdg-open"
    record = tmp_path / "opened.txt"
    script.write_text(f'#!/bin/sh\nprintf %s "$1" > {record}\nexit {exit_code}\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    return record


@pytest.mark.parametrize("exit_code", [0, 3])
def test_external_player_failure_is_shown(panel, qtbot, tmp_path, monkeypatch, exit_code):
    record = fake_opener(tmp_path, monkeypatch, exit_code)
    url = "http://127.0.0.1:9/live.m3u8"
    panel.show_url(url)
    panel.external_button.click()
    qtbot.waitUntil(record.exists, timeout=5000)
    assert record.read_text() == url
    if exit_code:
        qtbot.waitUntil(panel.external_note.isVisible, timeout=5000)
        assert panel.external_note.text() == NO_PLAYER
        assert spoken(panel.external_note) == NO_PLAYER
    else:
        qtbot.wait(3 * POLL_MS)
        assert not panel.external_note.isVisible()
