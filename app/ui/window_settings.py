"""What the window keeps between runs (QSettings through AppSettings): geometry, the splitter,
the clipboard timeout and the ordinary form fields. Never the token or a stream key."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


def restore_settings(window: MainWindow) -> None:
    s = window._settings
    if s.geometry is not None:
        window.restoreGeometry(s.geometry)
    if s.splitter_state is not None:
        window.splitter.restoreState(s.splitter_state)
    if window._demo:
        d = window._demo
        window.form.set_values(d.account_id, d.app_id, d.stream_name)
        window.form.remember_app(d.app_id, d.app_name)
        window.credentials.start(demo_token=d.token)
    else:
        window.form.set_values(s.account_id, s.app_id, s.stream_name)
        window.form.remember_app(s.app_id, s.app_name)
        window.credentials.start()


def save_settings(window: MainWindow) -> None:
    s = window._settings
    s.geometry = window.saveGeometry()
    s.splitter_state = window.splitter.saveState()
    s.clipboard_clear_s = window.clipboard.clear_after_s
    if not window._demo:
        # Only what the user typed in ordinary fields: never the token or a key.
        s.account_id = window.form.account_edit.text().strip()
        s.app_id = window.form.app_id_text()
        s.app_name = window.form.app_name(s.app_id)
        s.stream_name = window.form.name_edit.text().strip()
    s.sync()
