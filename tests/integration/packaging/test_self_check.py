"""`run_self_check()` from the source tree, in its own process (QtMultimedia picks its
backend once per process): it passes with real components and names what is broken."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.emulator.assets import DEMO_HLS_ENV
from tests.integration.packaging.installed import self_check_lines as lines_by_check

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[3]
SELF_CHECK = "from app.cli.self_check import run_self_check; raise SystemExit(run_self_check())"
# As if the installation had been built without the Secret Service backend's dependency.
WITHOUT_SECRETSTORAGE = "import sys; sys.modules['secretstorage'] = None; "


def self_check(prelude: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", prelude + SELF_CHECK],
        cwd=REPO,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_passes_with_the_real_backend_keyring_and_segments(secret_service) -> None:
    result = self_check()
    assert result.returncode == 0, result.stdout + result.stderr
    checks = lines_by_check(result.stdout)
    assert sorted(checks) == ["demo HLS", "keyring", "multimedia", "window platforms"]
    assert all(line.startswith("ok") for line in checks.values()), checks
    assert "FFmpeg backend" in checks["multimedia"]
    assert str(REPO / "resources" / "demo-hls") in checks["demo HLS"]
    assert result.stdout.rstrip().endswith("self-check passed")


def test_a_segment_that_does_not_decode_fails_multimedia(tmp_path: Path, secret_service) -> None:
    (tmp_path / "loop.m3u8").write_text("#EXTM3U\n#EXTINF:2.0,\nsegment-0.ts\n")
    (tmp_path / "segment-0.ts").write_bytes(b"not a transport stream" * 100)
    result = self_check(**{DEMO_HLS_ENV: str(tmp_path)})
    checks = lines_by_check(result.stdout)
    assert result.returncode == 1
    assert checks["demo HLS"].startswith("ok")
    assert checks["multimedia"].startswith("FAIL multimedia: FFmpeg backend")
    assert "did not decode" in checks["multimedia"]
    assert result.stdout.rstrip().endswith("self-check failed: multimedia")


def test_a_playlist_without_segments_is_named(tmp_path: Path, secret_service) -> None:
    (tmp_path / "loop.m3u8").write_text("#EXTM3U\n")
    result = self_check(**{DEMO_HLS_ENV: str(tmp_path)})
    checks = lines_by_check(result.stdout)
    assert result.returncode == 1
    assert checks["demo HLS"] == f"FAIL demo HLS: no media segments in {tmp_path}"
    assert "no demo segment to decode" in checks["multimedia"]
    assert result.stdout.rstrip().endswith("self-check failed: demo HLS, multimedia")


def test_no_keyring_service_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    result = self_check(DBUS_SESSION_BUS_ADDRESS=f"unix:path={tmp_path}/no-bus")
    checks = lines_by_check(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert checks["keyring"].startswith("warn keyring: ")
    assert "kept in memory for the session only" in checks["keyring"]
    assert result.stdout.rstrip().endswith("self-check passed")


def test_a_missing_keyring_backend_fails(secret_service) -> None:
    result = self_check(WITHOUT_SECRETSTORAGE)
    checks = lines_by_check(result.stdout)
    assert result.returncode == 1, result.stdout + result.stderr
    assert checks["keyring"].startswith("FAIL keyring: this installation lacks secretstorage")
    assert result.stdout.rstrip().endswith("self-check failed: keyring")
