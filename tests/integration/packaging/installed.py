"""Running an installed copy of the app (the bundle, a wheel in a fresh venv) as a user does.

Every process is the installed command itself, in a folder outside the checkout, with an
environment that cannot point it back at the source tree.
"""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID, DEMO_TOKEN
from tests.fixtures.obs import stop_process

RUN_TIMEOUT_S = 60
LIVE_TIMEOUT_S = 20


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The user's environment minus anything that could point the app at the source."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "LIVESTREAM_COMPANION", "CLOUDFLARE_"))
        and key not in {"QT_PLUGIN_PATH", "QML2_IMPORT_PATH", "LD_LIBRARY_PATH", "VIRTUAL_ENV"}
    }
    # QSettings and caches go to the test's own folder.
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
    )
    env.update(extra)
    return env


def run(
    executable: Path, *args: str, env: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(executable), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )


class LineReader:
    """Reads a process's output on a thread, so waiting for a line has a deadline."""

    def __init__(self, stream) -> None:
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self._thread.start()

    def join(self, timeout: float = 10) -> None:
        """After the process has ended: the stream is at its end, the thread done."""
        self._thread.join(timeout)

    def _pump(self, stream) -> None:
        for line in stream:
            self._queue.put(line)
        self._queue.put(None)

    def _lines_until(self, timeout: float) -> Iterator[str]:
        """New lines as they come, until the stream ends or the deadline passes."""
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=remaining)
            except queue.Empty:
                return
            if line is None:
                return
            self.lines.append(line)
            yield line

    def wait_for(self, pattern: str, timeout: float) -> re.Match[str]:
        for line in self._lines_until(timeout):
            if match := re.search(pattern, line):
                return match
        raise AssertionError(f"no line matching {pattern!r}; output: {''.join(self.lines)!r}")

    def rest(self, timeout: float) -> str:
        """Everything up to the end of the stream (or the deadline), as one text."""
        for _ in self._lines_until(timeout):
            pass
        return "".join(self.lines)


@contextmanager
def running_emulator(executable: Path, env: dict[str, str], cwd: Path) -> Iterator[str]:
    """`COMMAND emulator` of that installation; yields its API base URL."""
    with subprocess.Popen(
        [str(executable), "emulator", "--port", "0", "--live-after", "1"],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as process:
        reader = LineReader(process.stdout)
        try:
            match = reader.wait_for(r"listening on (http://127\.0\.0\.1:\d+/client/v4)", 30)
            yield match.group(1)
        finally:
            stop_process(process)
            reader.join()


def check_create_goes_live(
    executable: Path, base_url: str, env: dict[str, str], cwd: Path, name: str
) -> None:
    """A CLI create against the emulator, then its playlist and a segment once live."""
    env = {**env, "CLOUDFLARE_API_TOKEN": DEMO_TOKEN}
    ids = ["--account-id", DEMO_ACCOUNT_ID, "--app-id", DEMO_APP_ID]
    created = run(
        executable,
        *["--api-base-url", base_url, "create", *ids, "--name", name, "--json"],
        env=env,
        cwd=cwd,
    )
    assert created.returncode == 0, created.stderr
    livestream = json.loads(created.stdout)
    assert livestream["name"] == name
    assert re.match(r"rtmps?://", livestream["ingest_server"])
    assert livestream["stream_key"]

    listed = run(
        executable, *["--api-base-url", base_url, "list", *ids, "--json"], env=env, cwd=cwd
    )
    assert listed.returncode == 0, listed.stderr
    assert livestream["id"] in [stream["id"] for stream in json.loads(listed.stdout)]

    # The emulator's live pattern is cut from the installation's own demo segments.
    deadline = time.monotonic() + LIVE_TIMEOUT_S
    while True:
        playlist = httpx.get(livestream["playback_url"], timeout=5)
        if playlist.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert playlist.status_code == 200
    assert playlist.text.startswith("#EXTM3U")
    segment = next(line for line in playlist.text.splitlines() if line and line[0] != "#")
    media = httpx.get(httpx.URL(livestream["playback_url"]).join(segment), timeout=5)
    assert media.status_code == 200
    assert media.content[:1] == b"\x47"  # an MPEG-TS sync byte


def self_check_lines(output: str) -> dict[str, str]:
    """The self-check's lines by check name."""
    return {
        line[5:].split(":", 1)[0]: line
        for line in output.splitlines()
        if line.startswith(("ok   ", "warn ", "FAIL "))
    }
