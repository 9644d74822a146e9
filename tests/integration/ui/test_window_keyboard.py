"""Keyboard, focus and the small things: Tab in reading order, focus after choosing an app,
a focus ring you can see, Save that checks the token, the API named when it is not
Cloudflare's, app names across restarts, the detached title following."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from app.core.token_store import SERVICE_NAME, TokenStore
from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID, DEMO_APP_NAME, DEMO_TOKEN
from app.ui.focus_style import focus_ring_style
from app.ui.settings import AppSettings
from tests.fixtures.keyring import MemoryKeyring
from tests.integration.ui.conftest import close_window
from tests.integration.ui.test_window_state import fill_form, type_into

pytestmark = pytest.mark.integration

WAIT_MS = 10_000
WRONG_TOKEN = "wrong-token-0123456789abcdefghijklmnop"


def focus(window, widget, qtbot) -> None:
    window.activateWindow()
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(widget.hasFocus, timeout=WAIT_MS)


def tab_through(window, start, qtbot, presses: int = 40) -> list:
    focus(window, start, qtbot)
    seen = [start]
    for _ in range(presses):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        if widget is start:
            break
        seen.append(widget)
    return seen


def test_tab_follows_reading_order(make_window, qtbot):
    window = make_window()
    qtbot.mouseClick(window.form.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.result.livestream is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.recent.list.count() == 1, timeout=WAIT_MS)
    order = tab_through(window, window.form.account_edit, qtbot)
    key = window.result.key_field
    panel = window.preview_slot.panel
    send = window.obs_row.send_button
    wanted = [
        window.form.name_edit,
        window.form.create_button,
        key.show_button,
        key.copy_button,
        window.result.playback_field.copy_button,
        send,
        window.recent.list,
        panel.mute_button,
        panel.detach_button,
    ]
    missing = [w.objectName() or w.accessibleName() for w in wanted if w not in order]
    assert missing == []
    positions = [order.index(w) for w in wanted]
    assert positions == sorted(positions), [w.accessibleName() for w in order]


def test_choosing_an_app_moves_on_to_the_stream_name(make_window, qtbot):
    window = make_window()
    form = window.form
    form.app_combo.setEditText("")
    focus(window, form.load_apps_button, qtbot)
    qtbot.keyClick(form.load_apps_button, Qt.Key.Key_Space)
    popup = form.app_combo.view()
    qtbot.waitUntil(popup.isVisible, timeout=WAIT_MS)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(form.name_edit.hasFocus, timeout=WAIT_MS)
    assert form.app_id_text() == DEMO_APP_ID
    assert form.app_name_label.text() == f"App: {DEMO_APP_NAME}"


@pytest.mark.parametrize("kind", ["default button", "list"])
def test_focus_is_visible(make_window, qtbot, kind):
    window = make_window()
    widget = window.form.create_button if kind == "default button" else window.recent.list
    if isinstance(widget, QPushButton):
        assert widget.isDefault()
    style = focus_ring_style()
    widget.setStyle(style)
    focus(window, window.form.account_edit, qtbot)
    unfocused = widget.grab().toImage()
    focus(window, widget, qtbot)
    focused = widget.grab().toImage()
    assert focused != unfocused


def test_save_checks_the_token_and_keeps_a_rejected_one_only_when_insisted(make_window, qtbot):
    keyring = MemoryKeyring()
    window = make_window(demo=False, token_store=TokenStore(keyring))
    form = window.form
    fill_form(window, qtbot)
    type_into(qtbot, form.token_edit, WRONG_TOKEN)
    qtbot.mouseClick(form.save_token_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.error_banner.isVisible, timeout=WAIT_MS)
    assert window.error_banner.kind == "invalid_token"
    assert (SERVICE_NAME, DEMO_ACCOUNT_ID) not in keyring.entries
    assert form.save_token_button.text() == "Save an&yway"

    qtbot.mouseClick(form.save_token_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: keyring.entries.get((SERVICE_NAME, DEMO_ACCOUNT_ID)) == WRONG_TOKEN)
    assert form.save_token_button.text() == "Sa&ve"

    type_into(qtbot, form.token_edit, DEMO_TOKEN)
    assert not window.error_banner.isVisible()  # the token it was about changed
    qtbot.mouseClick(form.save_token_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: keyring.entries.get((SERVICE_NAME, DEMO_ACCOUNT_ID)) == DEMO_TOKEN)
    assert window.statusBar().currentMessage().startswith("Token works. Saved in")


def test_another_api_base_is_named_in_the_window_and_its_errors(make_window, qtbot, emulator):
    window = make_window(
        demo=False, token_store=TokenStore(MemoryKeyring()), api_base_url=emulator.base_url
    )
    host = emulator.base_url.split("/")[2]
    assert window.demo_banner.isVisible()
    assert window.demo_banner.title_label.text() == f"Using the API at {emulator.base_url}"
    fill_form(window, qtbot)
    emulator.stop()
    qtbot.mouseClick(window.form.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.error_banner.isVisible, timeout=WAIT_MS)
    assert window.error_banner.title_label.text() == f"Cannot reach the API at {host}"


def test_the_app_name_comes_back_after_a_restart(make_window, settings_path, qtbot):
    store = TokenStore(MemoryKeyring())
    window = make_window(demo=False, token_store=store)
    fill_form(window, qtbot)
    window.form.set_apps([])  # nothing known yet
    qtbot.mouseClick(window.form.load_apps_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.form.app_name(DEMO_APP_ID) == DEMO_APP_NAME, timeout=WAIT_MS)
    close_window(window, qtbot)
    again = make_window(demo=False, token_store=store, settings=AppSettings.at_path(settings_path))
    assert again.form.app_name_label.text() == f"App: {DEMO_APP_NAME}"
    assert again.form.app_name_label.isVisible()


def test_the_detached_title_follows_the_shown_livestream(make_window, qtbot):
    window = make_window()
    form = window.form
    qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.result.livestream is not None, timeout=WAIT_MS)
    panel = window.preview_slot.panel
    panel.detach_button.click()
    detached = panel._detached
    assert detached.windowTitle().startswith("Preview: test-stream: ")
    first = window.result.livestream
    type_into(qtbot, form.name_edit, "second-stream")
    qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.result.livestream.id != first.id, timeout=WAIT_MS)
    assert detached.windowTitle().startswith("Preview: second-stream: ")
    live_title = "Preview: second-stream: Live"
    qtbot.waitUntil(lambda: detached.windowTitle() == live_title, timeout=WAIT_MS)
    panel.detach_button.click()
