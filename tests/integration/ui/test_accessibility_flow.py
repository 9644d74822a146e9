"""The whole demo flow through the accessibility tree, as a screen reader user would do it.

A real X server (Xvfb), a private session bus with the real AT-SPI registry (activated by
D-Bus on first use), the real app in demo mode, and a client that only sees what the tree
exposes (atspi_probe.py, run with the system python3 that has pyatspi).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.emulator.demo import DEMO_TOKEN

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]
PROBE = Path(__file__).with_name("atspi_probe.py")
SYSTEM_PYTHON = "/usr/bin/python3"
AGREE_S = 1.0  # every place says Live within a second of the first


def _pyatspi_missing() -> bool:
    if not Path(SYSTEM_PYTHON).exists():
        return True
    found = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True)
    return found.returncode != 0


def test_demo_flow_through_the_accessibility_tree(make_xvfb, tmp_path):
    xvfb = make_xvfb("1400x900x24")
    if _pyatspi_missing() or shutil.which("dbus-run-session") is None:
        pytest.skip("python3-pyatspi and dbus are needed (scripts/system-packages.txt)")
    env = dict(
        os.environ,
        DISPLAY=xvfb,
        QT_QPA_PLATFORM="xcb",
        QT_XCB_GL_INTEGRATION="none",
        # Qt otherwise waits for a screen reader to announce itself.
        QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    # A bus of its own, started with DISPLAY set: the registry it activates synthesises the
    # probe's key and pointer events on this X server.
    script = (
        f'"{sys.executable}" -m app --demo & app=$!; '
        f'"{SYSTEM_PYTHON}" "{PROBE}" "$DEMO_TOKEN"; status=$?; '
        'kill -INT "$app"; wait "$app"; exit $status'
    )
    done = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", script],
        env={**env, "DEMO_TOKEN": DEMO_TOKEN},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, done.stderr[-3000:]
    seen = json.loads(lines[-1])
    assert "error" not in seen, seen
    assert seen["badge_before"] == "Livestream status: none yet"
    assert set(seen["first_live"]) == {"preview", "badge", "recent"}, seen
    assert seen["live_spread_s"] <= AGREE_S, seen
    assert "did not accept the token" in seen["banner"]
    assert seen["banner_cleared"], seen
    assert done.returncode == 0, done.stderr[-3000:]
