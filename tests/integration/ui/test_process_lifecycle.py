"""The real entry point in a fresh process: Ctrl-C and SIGTERM quit like the close button,
no display gives one plain sentence and exit 13, and FFmpeg's own log stays quiet."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication

from app.ui.display_check import EXIT_NO_DISPLAY, NO_DISPLAY_MESSAGE, NO_X_SERVER_MESSAGE
from app.ui.quit_signals import QUIT_SIGNALS, quit_on_signals
from tests.fixtures.emulator import livestreams_path
from tests.fixtures.notifications import free_display_number

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[3]
READY = "Ctrl-C and SIGTERM close the windows"
# Generous for a loaded machine; the teardown itself takes well under a second.
QUIT_TIMEOUT_S = 20


def start_app(*args: str, tmp_path: Path) -> tuple[subprocess.Popen, list[str], threading.Thread]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    env.pop("QT_LOGGING_RULES", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "--debug", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True)
    reader.start()
    return process, lines, reader


def wait_for(lines: list[str], text: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not any(text in line for line in lines):
        assert process.poll() is None, "".join(lines)[-3000:]
        assert time.monotonic() < deadline, "".join(lines)[-3000:]
        time.sleep(0.1)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize(
    "args", [("--demo",), ("preview", "http://127.0.0.1:9/live.m3u8")], ids=["demo", "preview"]
)
def test_a_signal_quits_through_the_teardown(args, signum, tmp_path):
    process, lines, reader = start_app(*args, tmp_path=tmp_path)
    try:
        wait_for(lines, READY, process)
        time.sleep(1.0)  # let the window settle: the preview loads after the first paint
        process.send_signal(signum)
        assert process.wait(timeout=QUIT_TIMEOUT_S) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        reader.join(timeout=10)
        process.stderr.close()
    log = "".join(lines)
    assert "Traceback" not in log


NO_SERVER_DISPLAY = f":{free_display_number()}"  # as a session that ended leaves DISPLAY


@pytest.mark.parametrize(
    ("display", "sentence"),
    [
        (None, NO_DISPLAY_MESSAGE),
        (NO_SERVER_DISPLAY, NO_X_SERVER_MESSAGE.format(display=NO_SERVER_DISPLAY)),
    ],
    ids=["unset", "server-gone"],
)
def test_without_a_display_one_sentence_and_exit_13(display, sentence, tmp_path):
    hidden = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    env = {k: v for k, v in os.environ.items() if k not in hidden}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "cfg")
    if display is not None:
        env["DISPLAY"] = display
    for args in (("--demo",), ("preview", "http://127.0.0.1:9/live.m3u8")):
        done = subprocess.run(
            [sys.executable, "-m", "app", *args],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == EXIT_NO_DISPLAY == 13
        assert done.stderr.strip() == sentence
        assert "xcb" not in done.stderr


def test_sigterm_in_process_clears_the_copied_key_on_the_way_out(make_window, qtbot, qloop):
    window = make_window()
    window.clipboard.copy_secret("sk-demo-stream-key-0123456789")
    assert QGuiApplication.clipboard().text() == "sk-demo-stream-key-0123456789"
    quit_on_signals(qloop)
    try:
        with qtbot.waitSignal(window.closed, timeout=10_000):
            os.kill(os.getpid(), signal.SIGTERM)
    finally:
        for signum in QUIT_SIGNALS:
            qloop.remove_signal_handler(signum)
    assert QGuiApplication.clipboard().text() == ""
    assert not window.isVisible()


@pytest.mark.parametrize("debug", [False, True], ids=["quiet", "debug"])
def test_ffmpeg_logs_only_with_debug(emulator, emulator_http, tmp_path, debug):
    livestream = emulator_http.post(livestreams_path(), json={"name": "log"}).json()["data"]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    env.pop("QT_LOGGING_RULES", None)
    command = [sys.executable, "-m", "app", *(["--debug"] if debug else [])]
    done = subprocess.run(
        [*command, "preview", livestream["playback_url"], "--check", "30"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert done.returncode == 0, done.stderr[-3000:]  # it played
    ffmpeg_lines = [line for line in done.stderr.splitlines() if line.startswith("[hls @")]
    assert bool(ffmpeg_lines) is debug, done.stderr[-3000:]
