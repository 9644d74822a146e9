"""The real entry point in a fresh process: demo mode paints its window and quits cleanly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.ui.launch import FIRST_PAINT_ENV

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[3]


def run_app(*args: str, tmp_path: Path, env_extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        **env_extra,
    )
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_demo_mode_starts_paints_and_quits(tmp_path):
    done = run_app("--demo", tmp_path=tmp_path, env_extra={FIRST_PAINT_ENV: "1"})
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith("first-paint ")
    assert "Traceback" not in done.stderr


def test_a_bad_api_base_url_is_refused_before_any_window(tmp_path):
    done = run_app("--api-base-url", "http://example.com/v4", tmp_path=tmp_path, env_extra={})
    assert done.returncode == 3
    assert "https://" in done.stderr
    assert "first-paint" not in done.stdout
