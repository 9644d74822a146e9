"""The window paints before asyncio and qasync load: what it imports must not pull them in,
nor the parts it adds right after the first paint."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
