"""Settings across windows, the token's place and buttons, and secrets that must not leak."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import QRect, Qt

from app.core.token_store import SERVICE_NAME, TokenStore
from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID, DEMO_TOKEN
from app.ui.settings import AppSettings
from tests.fixtures.keyring import MemoryKeyring
from tests.integration.ui.conftest import close_window

pytestmark = pytest.mark.integration

WAIT_MS = 10_000


def type_into(qtbot, edit, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


def fill_form(window, qtbot, name: str = "restored-name") -> None:
    form = window.form
    type_into(qtbot, form.account_edit, DEMO_ACCOUNT_ID)
    type_into(qtbot, form.app_combo.lineEdit(), DEMO_APP_ID)
    type_into(qtbot, form.name_edit, name)
    type_into(qtbot, form.token_edit, DEMO_TOKEN)


def test_settings_come_back_in_a_new_window(make_window, settings_path, qtbot):
    store = TokenStore(MemoryKeyring())
    window = make_window(demo=False, token_store=store)
    fill_form(window, qtbot)
    window.setGeometry(QRect(40, 50, 900, 640))  # the default is 1120 x 760
    window.clipboard_actions[60].trigger()
    close_window(window, qtbot)

    again = make_window(demo=False, token_store=store, settings=AppSettings.at_path(settings_path))
    form = again.form
    assert form.account_edit.text() == DEMO_ACCOUNT_ID
    assert form.app_id_text() == DEMO_APP_ID
    assert form.name_edit.text() == "restored-name"
    assert again.clipboard.clear_after_s == 60
    assert again.clipboard_actions[60].isChecked()
    # The offscreen screen is narrower than the window: only the height is kept exactly.
    assert again.size().height() == 640
    # Never saved, so not restored: the token is not a setting.
    assert form.token_text() == ""
    assert settings_path.stat().st_mode & 0o777 == 0o600  # owner only, after every save


def test_the_settings_file_never_holds_the_token_or_a_key(make_window, settings_path, qtbot):
    window = make_window(demo=False, token_store=TokenStore(MemoryKeyring()))
    fill_form(window, qtbot)
    qtbot.mouseClick(window.form.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.result.livestream is not None, timeout=WAIT_MS)
    key = window.result.key_field.value
    window.result.key_field.copy_button.click()
    close_window(window, qtbot)
    text = settings_path.read_text(encoding="utf-8")
    assert DEMO_ACCOUNT_ID in text  # the file is the right one, and written
    assert DEMO_TOKEN not in text
    assert key not in text


def test_save_then_forget_the_token(make_window, qtbot):
    keyring = MemoryKeyring()
    store = TokenStore(keyring)
    window = make_window(demo=False, token_store=store)
    form = window.form
    # A first start: nothing typed yet, the keyring checked.
    qtbot.waitUntil(lambda: "Save keeps it in" in form.token_place_label.text(), timeout=WAIT_MS)
    fill_form(window, qtbot)
    assert form.token_place_label.text().startswith("Not saved: click Save")
    assert form.save_token_button.isEnabled()
    qtbot.mouseClick(form.save_token_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.token_place_label.text().startswith("Saved in"), timeout=WAIT_MS)
    assert keyring.entries[(SERVICE_NAME, DEMO_ACCOUNT_ID)] == DEMO_TOKEN
    assert form.forget_token_button.isEnabled() and not form.save_token_button.isEnabled()

    # A new window finds the token for the saved account by itself.
    close_window(window, qtbot)
    again = make_window(demo=False, token_store=store)
    qtbot.waitUntil(lambda: again.form.token_text() == DEMO_TOKEN, timeout=WAIT_MS)
    assert again.form.token_place_label.text().startswith("Saved in")

    qtbot.mouseClick(again.form.forget_token_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: again.form.token_text() == "", timeout=WAIT_MS)
    assert (SERVICE_NAME, DEMO_ACCOUNT_ID) not in keyring.entries


def test_save_drops_a_zero_width_space_and_refuses_control_characters(make_window, qtbot):
    keyring = MemoryKeyring()
    window = make_window(demo=False, token_store=TokenStore(keyring))
    form = window.form
    fill_form(window, qtbot)
    form.token_edit.setText(DEMO_TOKEN + "\x07")
    qtbot.mouseClick(form.save_token_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "control character" in form.errors["token"].text(), timeout=WAIT_MS)
    assert keyring.entries == {}
    form.token_edit.setText(DEMO_TOKEN + "\u200b")  # a copy-paste artefact
    qtbot.mouseClick(form.save_token_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.token_place_label.text().startswith("Saved in"), timeout=WAIT_MS)
    assert keyring.entries[(SERVICE_NAME, DEMO_ACCOUNT_ID)] == DEMO_TOKEN


def test_without_a_keyring_the_window_says_session_only(make_window, qtbot):
    from keyring.backends import fail

    window = make_window(demo=False, token_store=TokenStore(fail.Keyring()))
    form = window.form
    qtbot.waitUntil(lambda: "no keyring" in form.token_place_label.text().lower(), timeout=WAIT_MS)
    fill_form(window, qtbot)
    assert form.token_place_label.text() == "Kept for this session only: no keyring available."
    qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.result.livestream is not None, timeout=WAIT_MS)


def test_no_secret_reaches_logs_settings_or_output(
    make_window, settings_path, qtbot, caplog, capfd
):
    """Debug logging on, a recognisable token, a full create-copy-show cycle; then search."""
    from app.cli import configure_logging

    root = logging.getLogger()
    handlers = list(root.handlers)
    configure_logging(debug=True)  # what --debug does: stderr handler with redaction
    caplog.set_level(logging.DEBUG)
    try:
        keyring = MemoryKeyring()
        window = make_window(demo=False, token_store=TokenStore(keyring))
        fill_form(window, qtbot, name="leak-check")
        qtbot.mouseClick(window.form.save_token_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: window.form.token_place_label.text().startswith("Saved in"), timeout=WAIT_MS
        )
        qtbot.mouseClick(window.form.create_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.result.livestream is not None, timeout=WAIT_MS)
        key = window.result.key_field.value
        window.result.key_field.copy_button.click()
        qtbot.mouseClick(window.result.key_field.show_button, Qt.MouseButton.LeftButton)
        window.recent.refresh_button.click()
        qtbot.waitUntil(lambda: len(window.recent.livestreams()) == 1, timeout=WAIT_MS)
        close_window(window, qtbot)
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
    out, err = capfd.readouterr()
    records = "\n".join(f"{r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in caplog.records)
    assert "POST" in err or "create" in records.lower()  # logging really was on
    haystacks = {
        "log records": records,
        "stdout": out,
        "stderr": err,
        "settings": settings_path.read_text(encoding="utf-8"),
    }
    for where, text in haystacks.items():
        assert DEMO_TOKEN not in text, f"token in {where}"
        assert key not in text, f"stream key in {where}"
