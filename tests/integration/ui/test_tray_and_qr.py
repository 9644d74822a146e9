"""The tray's copy actions, "Keep running in the tray while live", and the playback URL's
QR code read back by a real decoder (zbarimg)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtGui import QCloseEvent, QGuiApplication

from app.core.livestream_state import StateView, StreamState
from app.core.models import Livestream
from app.ui.clipboard import KDE_SECRET_HINT, WINDOWS_NO_HISTORY, SecretClipboard
from app.ui.notify.stay_informed import StayInformed
from app.ui.notify.tray import StreamTray
from app.ui.qr import LARGE_PX, QrCodeRow, qr_image
from app.ui.settings import AppSettings
from tests.fixtures.notifications import start_xvfb
from tests.fixtures.obs import stop_process

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[3]

PLAYBACK_URL = (
    "https://customer-abc123.cloudflarestream.com/0123456789abcdef0123456789abcdef"
    "/manifest/video.m3u8"
)
LIVESTREAM = Livestream(
    id="ls-tray",
    name="Morning show",
    ingest_server="rtmps://live.cloudflare.com:443/live/",
    stream_key="tray-stream-key-0123456789abcdef",
    playback_url=PLAYBACK_URL,
    status="LIVE",
)


def view(state: StreamState, headline: str) -> StateView:
    return StateView(LIVESTREAM.id, "Morning show", state, headline, "", datetime.now(UTC))


def decode(path) -> str:
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg is not installed (zbar-tools, scripts/system-packages.txt)")
    done = subprocess.run(
        ["zbarimg", "--raw", "--quiet", str(path)], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_qr_code_decodes_back_to_the_playback_url(tmp_path):
    image = qr_image(PLAYBACK_URL, LARGE_PX)
    assert image.width() >= LARGE_PX
    path = tmp_path / "qr.png"
    assert image.save(str(path))
    assert decode(path) == PLAYBACK_URL


def test_the_large_code_shown_on_click_decodes_too(qtbot, tmp_path):
    row = QrCodeRow()
    qtbot.addWidget(row)
    row.set_url(PLAYBACK_URL)
    assert row.button.isVisibleTo(row)
    row.button.click()
    assert row.dialog is not None
    qtbot.addWidget(row.dialog)
    path = tmp_path / "large.png"
    row.dialog.grab().save(str(path))
    assert decode(path) == PLAYBACK_URL


@pytest.mark.parametrize(
    "url, says",
    [
        ("http://127.0.0.1:8080/hls/x/manifest/video.m3u8", "127.0.0.1"),
        ("http://localhost/hls/video.m3u8", "localhost"),
        ("http://example.com/video.m3u8", "only https://"),
    ],
)
def test_no_code_for_a_url_a_phone_cannot_open(qtbot, url, says):
    row = QrCodeRow()
    qtbot.addWidget(row)
    row.set_url(url)
    assert not row.button.isVisibleTo(row)
    assert says in row.label.text()
    row.show_large()
    assert row.dialog is None


def clipboard_state() -> tuple[str, bytes]:
    mime = QGuiApplication.clipboard().mimeData()
    return mime.text(), bytes(mime.data(KDE_SECRET_HINT))


def test_tray_menu_copies_each_value_and_the_key_as_a_secret(qtbot):
    clipboard = SecretClipboard(30)
    tray = StreamTray(clipboard)
    assert not tray.copy_key_action.isEnabled()  # nothing shown yet
    tray.set_livestream(LIVESTREAM)

    with qtbot.waitSignal(tray.copied):
        tray.copy_key_action.trigger()
    assert clipboard_state() == (LIVESTREAM.stream_key, b"secret")
    assert bytes(QGuiApplication.clipboard().mimeData().data(WINDOWS_NO_HISTORY)) == b"\0" * 4
    assert clipboard.holds_our_secret()

    tray.copy_server_action.trigger()
    assert clipboard_state() == (LIVESTREAM.ingest_server, b"")
    tray.copy_playback_action.trigger()
    assert clipboard_state() == (PLAYBACK_URL, b"")
    clipboard.clear_if_ours()


def test_the_tray_shows_the_state_never_the_key(qtbot):
    tray = StreamTray(SecretClipboard(30))
    tray.set_livestream(LIVESTREAM)
    waiting_icon = tray.icon.icon().pixmap(64).toImage()
    tray.set_view(view(StreamState.LIVE, "Live"))
    assert tray.state_action.text() == "Morning show: Live"
    assert "Morning show: Live" in tray.icon.toolTip()
    assert tray.icon.icon().pixmap(64).toImage() != waiting_icon
    texts = [action.text() for action in tray.menu.actions()] + [tray.icon.toolTip()]
    assert not any(LIVESTREAM.stream_key in text for text in texts)


class TitleBarClose(QCloseEvent):
    def spontaneous(self) -> bool:
        return True


@pytest.fixture
def window_with_tray(make_window, settings_path):
    def make(*, tray: bool):
        settings = AppSettings.at_path(settings_path)
        window = make_window(settings=settings)
        stay = StayInformed(window, settings, tray_available=tray)
        return window, stay, settings

    return make


def test_without_a_tray_host_there_is_no_tray_and_nothing_breaks(window_with_tray, qtbot):
    assert not StreamTray.available()  # offscreen: no tray host
    _window, stay, _settings = window_with_tray(tray=StreamTray.available())
    assert stay.tray is None
    assert not stay.keep_action.isEnabled()
    stay.observe(view(StreamState.LIVE, "Live"))
    assert not stay.keeps_running_on_close()


def test_closing_while_live_hides_to_the_tray_only_when_chosen(window_with_tray, qtbot):
    window, stay, settings = window_with_tray(tray=True)
    assert settings.keep_in_tray is False  # off by default
    stay.observe(view(StreamState.LIVE, "Live"))
    assert not stay.keeps_running_on_close()

    stay.keep_action.trigger()
    assert settings.keep_in_tray is True
    closed: list = []
    window.closed.connect(lambda: closed.append(True))
    # The title bar's close button: Qt marks the window system's close event spontaneous,
    # which no Python API can send; the filter sees this event first either way.
    close = TitleBarClose()
    assert stay.eventFilter(window, close) is True
    assert not close.isAccepted()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    qtbot.wait(200)
    assert closed == []  # hidden, not shut down: the preview keeps watching

    stay.show_window()
    qtbot.waitUntil(window.isVisible, timeout=5000)
    stay.observe(view(StreamState.WAITING, "Waiting"))
    assert not stay.keeps_running_on_close()  # not live: closing closes


def test_quit_from_the_tray_closes_even_while_live(window_with_tray, qtbot):
    window, stay, _settings = window_with_tray(tray=True)
    stay.keep_action.trigger()
    stay.observe(view(StreamState.LIVE, "Live"))
    assert stay.eventFilter(window, QCloseEvent()) is False  # a close from code
    with qtbot.waitSignal(window.closed, timeout=10_000):
        stay.tray.quit_action.trigger()


def test_without_a_notification_service_the_tray_tells_instead(
    window_with_tray, qtbot, monkeypatch, tmp_path
):
    # No session bus at all: the freedesktop call fails at once.
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/no-bus")
    window, stay, _settings = window_with_tray(tray=True)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(stay.tray, "show_message", lambda title, body: shown.append((title, body)))
    window.showMinimized()
    stay.observe(view(StreamState.WAITING, "Waiting"))
    with qtbot.waitSignal(stay.notified, timeout=10_000) as told:
        stay.observe(view(StreamState.LIVE, "Live"))
    assert told.args[0].title == "Morning show is live"
    assert shown == [("Morning show is live", "Your broadcast is going out.")]


@pytest.fixture
def tray_host(tmp_path):
    """Xvfb with trayer, a light XEmbed system tray."""
    for program in ("Xvfb", "trayer", "xclip"):
        if shutil.which(program) is None:
            pytest.skip(f"{program} is not installed (scripts/system-packages.txt)")
    xvfb, display = start_xvfb()
    env = dict(os.environ, DISPLAY=f":{display}", QT_QPA_PLATFORM="xcb")
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)  # the XEmbed tray, not a D-Bus one
    trayer = subprocess.Popen(
        ["trayer", "--edge", "top", "--align", "right", "--widthtype", "pixel", "--width", "120"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield env
    finally:
        stop_process(trayer)
        stop_process(xvfb)


def test_a_tray_host_shows_the_icon_and_its_menu_copies_to_the_x_clipboard(tray_host):
    from tests.integration.ui.tray_driver import LIVESTREAM as SHOWN

    driver = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.ui.tray_driver"],
        env=tray_host,
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )

    def ask(command: str) -> str:
        driver.stdin.write(command + "\n")
        driver.stdin.flush()
        return driver.stdout.readline().strip()

    def xclip(*target: str) -> str:
        done = subprocess.run(
            ["xclip", "-o", "-selection", "clipboard", *target],
            env=tray_host,
            capture_output=True,
            text=True,
            timeout=10,
        )
        return done.stdout

    try:
        assert driver.stdout.readline().strip() == "available True"
        assert ask("geometry") != "geometry 0 0"  # embedded in the tray

        assert ask("key") == "copied"
        assert xclip() == SHOWN.stream_key
        assert KDE_SECRET_HINT in xclip("-t", "TARGETS").split()
        assert xclip("-t", KDE_SECRET_HINT) == "secret"
        assert ask("server") == "copied"
        assert xclip() == SHOWN.ingest_server
        assert KDE_SECRET_HINT not in xclip("-t", "TARGETS").split()
        assert ask("url") == "copied"
        assert xclip() == SHOWN.playback_url
    finally:
        driver.stdin.close()
        stop_process(driver)
        driver.stdout.close()
