"""The main window against the real emulator over loopback: create, copy, errors, settings."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from app.core.preview_phase import Phase
from app.emulator import FaultKind
from app.emulator.demo import (
    DEMO_ACCOUNT_ID,
    DEMO_APP_ID,
    DEMO_APP_NAME,
    DEMO_TOKEN,
    NO_PERMISSION_TOKEN,
)
from app.ui.clipboard import KDE_SECRET_HINT, WINDOWS_NO_CLOUD, WINDOWS_NO_HISTORY
from app.ui.demo import DemoSession
from app.ui.main_window import MainWindow

pytestmark = pytest.mark.integration

WAIT_MS = 10_000


def create_requests(emulator) -> list:
    return [r for r in emulator.requests if r.endpoint == "create" and r.method == "POST"]


def click_create(window: MainWindow, qtbot) -> None:
    qtbot.mouseClick(window.form.create_button, Qt.MouseButton.LeftButton)


def wait_for_result(window: MainWindow, qtbot) -> None:
    qtbot.waitUntil(lambda: window.result.livestream is not None, timeout=WAIT_MS)


def wait_idle(window: MainWindow, qtbot) -> None:
    qtbot.waitUntil(lambda: not window.livestreams.creating, timeout=WAIT_MS)


def assert_form_usable(window: MainWindow) -> None:
    form = window.form
    assert form.create_button.isEnabled()
    assert not form.progress.isVisible()
    assert form.account_edit.isEnabled() and not form.account_edit.isReadOnly()
    assert form.valid_account_id() == DEMO_ACCOUNT_ID  # nothing typed was lost
    assert form.valid_app_id() == DEMO_APP_ID


def test_create_fills_every_field_and_the_badge(make_window, emulator, qtbot):
    window = make_window()
    click_create(window, qtbot)
    wait_for_result(window, qtbot)

    [stored] = emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID)
    result = window.result
    assert result.server_field.line_edit.text() == stored.ingest_server
    assert result.key_field.value == stored.stream_key
    assert result.key_field.is_masked
    assert result.playback_field.line_edit.text() == stored.playback_url
    assert "test-stream" in result.title_label.text()
    assert result.badge.view.api_status == result.livestream.status != ""
    assert result.badge.text() not in ("", "No livestream yet")
    assert len(create_requests(emulator)) == 1
    assert not window.error_banner.isVisible()
    assert_form_usable(window)
    # The recent list is refreshed and shows the new livestream.
    qtbot.waitUntil(
        lambda: stored.id in [ls.id for ls in window.recent.livestreams()], timeout=WAIT_MS
    )


def test_enter_in_a_field_creates(make_window, emulator, qtbot):
    window = make_window()
    window.form.name_edit.setFocus()
    qtbot.keyClick(window.form.name_edit, Qt.Key.Key_Return)
    wait_for_result(window, qtbot)
    assert len(create_requests(emulator)) == 1


def test_a_second_click_while_creating_does_nothing(make_window, emulator, qtbot):
    emulator.faults.inject("create", FaultKind.DELAY, delay=1.0)
    window = make_window()
    click_create(window, qtbot)
    qtbot.waitUntil(window.form.progress.isVisible, timeout=WAIT_MS)
    assert window.form.cancel_button.isVisible()
    assert window.form.create_button.text() == "Creating\u2026"
    click_create(window, qtbot)
    qtbot.keyClick(window.form.name_edit, Qt.Key.Key_Return)
    window.form.create_requested.emit()  # even a direct request is ignored
    wait_for_result(window, qtbot)
    wait_idle(window, qtbot)
    assert len(create_requests(emulator)) == 1
    assert len(emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID)) == 1


def test_cancel_aborts_and_the_form_stays_usable(make_window, emulator, qtbot):
    emulator.faults.inject("create", FaultKind.DELAY, delay=5.0)
    window = make_window()
    click_create(window, qtbot)
    qtbot.waitUntil(lambda: len(create_requests(emulator)) == 1, timeout=WAIT_MS)
    qtbot.mouseClick(window.form.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.error_banner.kind == "cancelled", timeout=WAIT_MS)
    assert "Recent livestreams" in window.error_banner.message_label.text()
    assert_form_usable(window)
    assert window.result.livestream is None
    # And it works again right away.
    click_create(window, qtbot)
    wait_for_result(window, qtbot)


ERROR_CASES = {
    # id: (fault endpoint, fault kind, fault options, banner kind)
    "rate-limit": ("create", FaultKind.RATE_LIMIT, {"retry_after": 2}, "rate_limited"),
    "server-error": ("create", FaultKind.SERVER_ERROR_HTML, {"times": None}, "create_unconfirmed"),
    "drop-before": ("create", FaultKind.DROP_BEFORE, {}, "create_unconfirmed"),
}


@pytest.mark.parametrize("case", ERROR_CASES.values(), ids=ERROR_CASES.keys())
def test_create_faults_show_the_right_banner(case, make_window, emulator, qtbot):
    endpoint, kind, options, banner_kind = case
    emulator.faults.inject(endpoint, kind, **options)
    window = make_window()
    click_create(window, qtbot)
    qtbot.waitUntil(lambda: window.error_banner.kind == banner_kind, timeout=WAIT_MS)
    wait_idle(window, qtbot)
    banner = window.error_banner
    assert banner.isVisible()
    assert banner.title_label.text() and banner.message_label.text()
    assert "Traceback" not in banner.message_label.text()
    assert window.result.livestream is None
    assert emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID) == []
    if kind is FaultKind.RATE_LIMIT:
        # Retry stays off until the countdown ends, then comes back by itself.
        assert not window.form.create_button.isEnabled()
        assert "try again in" in banner.countdown_label.text()
        click_create(window, qtbot)
        assert len(create_requests(emulator)) == 1
        qtbot.waitUntil(window.form.create_button.isEnabled, timeout=5000)
    assert_form_usable(window)


@pytest.mark.parametrize("kind", [FaultKind.DROP_AFTER, FaultKind.MALFORMED_JSON])
def test_a_create_whose_answer_is_lost_is_found_not_repeated(kind, make_window, emulator, qtbot):
    emulator.faults.inject("create", kind)
    window = make_window()
    click_create(window, qtbot)
    wait_for_result(window, qtbot)
    [stored] = emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID)
    assert window.result.key_field.value == stored.stream_key
    assert len(create_requests(emulator)) == 1
    assert_form_usable(window)


def test_rate_limited_list_shows_the_countdown(make_window, emulator, qtbot):
    emulator.faults.inject("apps", FaultKind.RATE_LIMIT, times=None, retry_after=120)
    window = make_window()
    qtbot.mouseClick(window.form.load_apps_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.error_banner.kind == "rate_limited", timeout=WAIT_MS)
    assert not window.form.create_button.isEnabled()
    assert window.error_banner.seconds_left() > 60


def test_server_error_on_load_apps(make_window, emulator, qtbot):
    emulator.faults.inject("apps", FaultKind.SERVER_ERROR_HTML, times=None)
    window = make_window()
    qtbot.mouseClick(window.form.load_apps_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.error_banner.kind == "server", timeout=WAIT_MS)
    assert window.form.load_apps_button.isEnabled()
    assert_form_usable(window)


@pytest.mark.parametrize(
    ("token", "app_id", "banner_kind"),
    [
        ("x" * 40, DEMO_APP_ID, "invalid_token"),
        (DEMO_TOKEN, "00000000-0000-4000-8000-000000000000", "not_found"),
    ],
    ids=["bad-token", "wrong-app"],
)
def test_refusals_are_named(token, app_id, banner_kind, make_window, emulator, qtbot):
    window = make_window()
    window.form.set_token(token)
    window.form.app_combo.setEditText(app_id)
    click_create(window, qtbot)
    qtbot.waitUntil(lambda: window.error_banner.kind == banner_kind, timeout=WAIT_MS)
    wait_idle(window, qtbot)
    assert window.form.create_button.isEnabled()
    assert window.form.token_text() == token  # kept, to fix
    assert emulator.livestreams(DEMO_ACCOUNT_ID, DEMO_APP_ID) == []


def test_missing_permission_is_named(make_window, emulator, qtbot):
    window = make_window()
    window.form.set_token(NO_PERMISSION_TOKEN)
    qtbot.mouseClick(window.form.load_apps_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.error_banner.kind == "missing_permission", timeout=WAIT_MS)
    assert "Realtime Admin" in window.error_banner.message_label.text()
    assert_form_usable(window)


def test_offline_is_named(make_window, emulator, qtbot, make_emulator):
    gone = make_emulator()
    url = gone.base_url
    gone.stop()
    window = make_window(base_url=url)
    click_create(window, qtbot)
    qtbot.waitUntil(lambda: window.error_banner.kind == "network", timeout=WAIT_MS)
    wait_idle(window, qtbot)
    assert_form_usable(window)


def test_load_apps_fills_the_combo(make_window, emulator, qtbot):
    window = make_window()
    window.form.app_combo.setEditText("")
    qtbot.mouseClick(window.form.load_apps_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.form.app_combo.count() > 0, timeout=WAIT_MS)
    window.form.app_combo.hidePopup()
    assert window.form.app_combo.itemData(0) == DEMO_APP_ID
    assert window.form.valid_app_id() == DEMO_APP_ID
    assert window.form.app_name_label.text().startswith("App: ")


def test_validation_names_the_problem_and_sends_nothing(make_window, emulator, qtbot):
    window = make_window()
    form = window.form
    form.account_edit.clear()
    qtbot.keyClicks(form.account_edit, "not-an-id")
    assert form.errors["account_id"].isVisible()
    assert "32 hexadecimal" in form.errors["account_id"].text()
    form.name_edit.clear()
    qtbot.keyClicks(form.name_edit, "my show")
    assert "no spaces" in form.errors["name"].text()
    form.token_edit.clear()
    qtbot.keyClicks(form.token_edit, "a")
    qtbot.keyClick(form.token_edit, Qt.Key.Key_Backspace)
    assert "paste an API token" in form.errors["token"].text()
    click_create(window, qtbot)
    qtbot.wait(300)
    assert create_requests(emulator) == []
    assert window.focusWidget() is form.account_edit
    # Fixing the field clears its message as you type.
    form.account_edit.clear()
    qtbot.keyClicks(form.account_edit, DEMO_ACCOUNT_ID)
    assert not form.errors["account_id"].isVisible()


def test_copy_puts_the_real_key_and_the_hints_on_the_clipboard(make_window, qtbot):
    window = make_window()
    click_create(window, qtbot)
    wait_for_result(window, qtbot)
    key_field = window.result.key_field
    assert key_field.is_masked
    qtbot.mouseClick(key_field.copy_button, Qt.MouseButton.LeftButton)
    clipboard = QGuiApplication.clipboard()
    assert clipboard.text() == key_field.value
    assert "\u25cf" not in clipboard.text() and "*" not in clipboard.text()
    mime = clipboard.mimeData()
    assert bytes(mime.data(KDE_SECRET_HINT)) == b"secret"
    assert bytes(mime.data(WINDOWS_NO_HISTORY)) == b"\x00\x00\x00\x00"
    assert bytes(mime.data(WINDOWS_NO_CLOUD)) == b"\x00\x00\x00\x00"
    assert key_field.copy_button.text().startswith("Copied")
    qtbot.waitUntil(lambda: key_field.copy_button.text() == "Copy", timeout=5000)
    # Non-secret fields go to the clipboard as plain text.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.form.name_edit, Qt.Key.Key_I, ctrl_shift)
    assert clipboard.text() == window.result.server_field.value
    assert clipboard.mimeData().data(KDE_SECRET_HINT).isEmpty()


def test_auto_clear_removes_only_our_own_content(make_window, qtbot):
    window = make_window()
    click_create(window, qtbot)
    wait_for_result(window, qtbot)
    clipboard = QGuiApplication.clipboard()
    window.clipboard.set_clear_after(1)

    window.result.key_field.copy_button.click()
    assert clipboard.text() == window.result.key_field.value
    with qtbot.waitSignal(window.clipboard.cleared, timeout=5000):
        pass
    assert clipboard.text() == ""

    window.result.key_field.copy_button.click()
    clipboard.setText("something the user copied since")
    qtbot.wait(1500)
    assert clipboard.text() == "something the user copied since"


def test_quit_clears_the_copied_key(make_window, qtbot):
    from tests.integration.ui.conftest import close_window

    window = make_window()
    click_create(window, qtbot)
    wait_for_result(window, qtbot)
    window.result.key_field.copy_button.click()
    close_window(window, qtbot)
    assert QGuiApplication.clipboard().text() == ""


def test_show_reveals_then_masks_again(make_window, qtbot):
    window = make_window()
    click_create(window, qtbot)
    wait_for_result(window, qtbot)
    field = window.result.key_field
    field._remask_timer.setInterval(300)
    qtbot.mouseClick(field.show_button, Qt.MouseButton.LeftButton)
    assert not field.is_masked
    assert field.line_edit.displayText() == field.value
    qtbot.waitUntil(lambda: field.is_masked, timeout=3000)
    assert field.show_button.text() == "Show"


def test_picking_a_recent_livestream_shows_it_again(make_window, emulator, qtbot):
    window = make_window()
    click_create(window, qtbot)
    wait_for_result(window, qtbot)
    first = window.result.livestream
    window.form.name_edit.setText("second-stream")
    click_create(window, qtbot)
    qtbot.waitUntil(lambda: window.result.livestream.id != first.id, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: len(window.recent.livestreams()) == 2, timeout=WAIT_MS)
    row = [ls.id for ls in window.recent.livestreams()].index(first.id)
    item = window.recent.list.item(row)
    rect = window.recent.list.visualItemRect(item)
    qtbot.mouseClick(window.recent.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.result.livestream.id == first.id
    assert window.result.key_field.value == first.stream_key


def status_requests(emulator) -> list:
    return [r for r in emulator.requests if r.endpoint == "get"]


def test_status_badge_follows_the_livestream(make_window, emulator, qtbot):
    window = make_window(watch_interval_s=0.3)
    click_create(window, qtbot)
    wait_for_result(window, qtbot)
    qtbot.waitUntil(lambda: window.result.badge.view.api_status == "LIVE", timeout=WAIT_MS)
    assert window.result.badge.text() == "Live"
    # The preview is the one watcher: its answers drive the badge, at its pace only.
    assert window.preview.session is not None
    calls = len(status_requests(emulator))
    qtbot.wait(1500)
    assert 1 <= len(status_requests(emulator)) - calls <= 1500 // 300 + 1


def test_status_checks_back_off_on_429(make_window, emulator, qtbot):
    emulator.faults.inject("get", FaultKind.RATE_LIMIT, retry_after=3)
    window = make_window(watch_interval_s=0.3)
    click_create(window, qtbot)
    wait_for_result(window, qtbot)
    qtbot.waitUntil(lambda: len(status_requests(emulator)) == 1, timeout=WAIT_MS)
    assert status_requests(emulator)[0].fault is FaultKind.RATE_LIMIT
    # Every 0.3 s otherwise: about eight calls in the next 2.5 s. After the 429, none.
    qtbot.wait(2500)
    assert len(status_requests(emulator)) == 1
    qtbot.waitUntil(lambda: window.result.badge.view.api_status == "LIVE", timeout=WAIT_MS)
    assert len(status_requests(emulator)) == 2
    assert not window.error_banner.isVisible()  # a badge is not worth a banner


def test_status_checks_pause_while_the_window_is_minimised(make_window, emulator, qtbot):
    window = make_window(watch_interval_s=0.3)
    click_create(window, qtbot)
    wait_for_result(window, qtbot)
    qtbot.waitUntil(lambda: len(status_requests(emulator)) >= 1, timeout=WAIT_MS)
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized, timeout=2000)
    qtbot.wait(400)  # a call already on its way may still land
    calls = len(status_requests(emulator))
    qtbot.wait(1500)
    assert len(status_requests(emulator)) == calls
    assert window.preview.phase is not Phase.IDLE  # the preview itself goes on
    window.showNormal()
    qtbot.waitUntil(lambda: len(status_requests(emulator)) > calls, timeout=2000)
    window.hide()
    qtbot.wait(400)
    calls = len(status_requests(emulator))
    qtbot.wait(1500)
    assert len(status_requests(emulator)) == calls
    window.show()
    qtbot.waitUntil(lambda: len(status_requests(emulator)) > calls, timeout=2000)


def test_demo_preview_says_no_encoder_is_needed(make_window, qtbot):
    window = make_window()
    preview = window.preview
    said = []
    preview.state_changed.connect(lambda title: said.append((title, preview.message.text())))
    click_create(window, qtbot)
    wait_for_result(window, qtbot)
    waiting = [text for title, text in said if title == "Waiting for the broadcast"]
    assert waiting
    # The emulator's ingest server takes no stream: the preview must not send the user to OBS.
    assert all("no OBS needed" in text and "in OBS." not in text for text in waiting)


def test_demo_mode_says_so_and_keeps_the_token_out_of_the_keyring(make_window, qtbot):
    window = make_window()
    assert window.demo_banner.isVisible()
    assert "Demo mode: nothing is sent to Cloudflare" in window.demo_banner.title_label.text()
    assert "Demo mode" in window.windowTitle()
    assert window.tokens.is_demo
    assert not window.form.save_token_button.isEnabled()
    assert "never saved" in window.form.token_place_label.text()
    # The demo app is named, as a saved app is, without loading the list first.
    assert DemoSession.defaults().app_name == DEMO_APP_NAME
    assert window.form.app_name_label.text() == f"App: {DEMO_APP_NAME}"
    assert window.form.app_name_label.isVisible()


def test_unexpected_error_opens_the_crash_dialog_and_the_app_goes_on(make_window, emulator, qtbot):
    from app.core.redaction import register_secret
    from app.ui.crash_dialog import CrashDialog

    window = make_window()
    secret = "s3cr3t-in-an-exception-0123456789"
    register_secret(secret)

    async def broken() -> None:
        raise RuntimeError(f"unexpected {secret}")

    with qtbot.waitSignal(window._tasks.task_failed, timeout=WAIT_MS):
        window._tasks.start(broken(), name="broken")
    dialogs = [w for w in window.findChildren(CrashDialog) if w.isVisible()]
    assert len(dialogs) == 1
    text = dialogs[0].text.toPlainText()
    assert "RuntimeError" in text and secret not in text and "[redacted]" in text
    dialogs[0].copy_button.click()
    assert QGuiApplication.clipboard().text() == dialogs[0].details
    dialogs[0].close()
    click_create(window, qtbot)
    wait_for_result(window, qtbot)


def test_every_control_has_an_accessible_name(make_window):
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QListWidget

    window = make_window()

    def in_preview(widget) -> bool:  # the preview panel has its own tests
        return widget is window.preview_slot or window.preview_slot.isAncestorOf(widget)

    unnamed = [
        type(w).__name__ + ":" + (w.objectName() or getattr(w, "text", lambda: "")())
        for kind in (QAbstractButton, QLineEdit, QComboBox, QListWidget)
        for w in window.findChildren(kind)
        if w.isVisibleTo(window)
        and not w.accessibleName()
        and not isinstance(w.parent(), QComboBox)  # the combo's own line edit
        and not in_preview(w)
    ]
    assert unnamed == []


def test_tab_order_follows_the_form(make_window, qtbot):
    window = make_window()
    form = window.form
    form.account_edit.setFocus()
    expected = [form.app_combo, form.load_apps_button, form.name_edit, form.token_edit]
    seen = []
    for _ in expected:
        window.focusNextChild()
        focused = window.focusWidget()
        seen.append(form.app_combo if focused is form.app_combo.lineEdit() else focused)
    assert seen == expected


@pytest.fixture
def debug_logging():
    root = logging.getLogger()
    old = root.level
    root.setLevel(logging.DEBUG)
    yield
    root.setLevel(old)


def test_the_send_to_obs_row_follows_the_shown_livestream(make_window, qtbot):
    window = make_window()
    row = window.obs_row
    assert row is not None
    qtbot.waitUntil(lambda: row.isVisibleTo(window), timeout=2000)
    assert not row.send_button.isEnabled()  # nothing to send yet
    click_create(window, qtbot)
    wait_for_result(window, qtbot)
    assert row.livestream.id == window.result.livestream.id
    assert row.send_button.isEnabled()


def test_escape_cancels_a_running_create(make_window, emulator, qtbot):
    emulator.faults.inject("create", FaultKind.DELAY, delay=5.0)
    window = make_window()
    click_create(window, qtbot)
    qtbot.waitUntil(window.form.progress.isVisible, timeout=WAIT_MS)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClick(window.form.name_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.error_banner.kind == "cancelled", timeout=WAIT_MS)
    assert_form_usable(window)
