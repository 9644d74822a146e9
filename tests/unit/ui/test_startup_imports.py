"""The window paints before asyncio and qasync load: what it imports must not pull them in,
nor the parts it adds right after the first paint."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
# Everything `run_gui` imports before the window's first paint.
BEFORE_FIRST_PAINT = (
    "app.cli",
    "app.ui.launch",
    "app.ui.bootstrap",
    "app.ui.context",
    "app.ui.settings",
    "app.ui.main_window",
    "app.ui.demo",
)


# Loaded right after the first paint, which shows nothing of them.
AFTER_FIRST_PAINT = (
    "asyncio",
    "qasync",
    "httpx",
    "m3u8",
    "app.core.hls_probe",
    "app.core.models",
    "app.ui.focus_style",
    "app.ui.sessions.mount",
    "importlib.resources",
    "html",
)


def test_nothing_before_the_first_paint_imports_asyncio():
    code = (
        "import importlib, sys\n"
        f"for name in {BEFORE_FIRST_PAINT!r}:\n"
        "    importlib.import_module(name)\n"
        "from app.resource_files import ICON_SVG, resource_path\n"
        "resource_path(*ICON_SVG)\n"
        f"print(sorted(m for m in {AFTER_FIRST_PAINT!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"


# Runs the real entry point; at the first paint, reports whether PySide has built its `Qt`
# namespace (14 ms of enums, see app.ui.qt_by_name), then quits through the benchmark's hook.
PAINT_REPORT = """
import sys
import PySide6.QtCore
from app.ui import launch

wait = launch.FirstPaintProbe.wait

def reporting_wait(probe, timeout_ms):
    painted_at = wait(probe, timeout_ms)
    built = "Qt" in vars(PySide6.QtCore)
    print(f"painted={painted_at is not None} qt-namespace-built={built}", flush=True)
    return painted_at

launch.FirstPaintProbe.wait = reporting_wait
from app.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize(
    "args", [[], ["--demo"], ["--api-base-url", "http://127.0.0.1:9/client/v4"]]
)
def test_the_first_paint_does_without_the_qt_namespace(args, tmp_path):
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path),
        LIVESTREAM_COMPANION_EXIT_AFTER_FIRST_PAINT="1",
    )
    done = subprocess.run(
        [sys.executable, "-c", PAINT_REPORT, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "painted=True qt-namespace-built=False" in done.stdout, done.stdout
