"""The frozen one-folder bundle, run as a user runs it: no source tree, no venv.

Selected only when there is a bundle to test (see conftest.py). Every process is the
bundle's own executable; the demo HLS segments must come from inside the bundle.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app import about
from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_TOKEN
from tests.fixtures.obs import free_display, stop_process
from tests.integration.packaging.installed import (
    RUN_TIMEOUT_S,
    LineReader,
    check_create_goes_live,
    clean_env,
    run,
    running_emulator,
)

pytestmark = [pytest.mark.integration, pytest.mark.bundle]

WINDOW_TIMEOUT_S = 30


def test_version_is_the_about_version(bundle_executable: Path, tmp_path: Path) -> None:
    result = run(bundle_executable, "--version", env=clean_env(tmp_path), cwd=tmp_path)
    assert (result.returncode, result.stdout.strip()) == (
        0,
        f"{about.COMMAND_NAME} {about.VERSION}",
    )


def test_self_check_finds_everything_inside_the_bundle(
    bundle_executable: Path, bundle_dir: Path, tmp_path: Path, secret_service
) -> None:
    result = run(bundle_executable, "--self-check", env=clean_env(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = {line.split(":", 1)[0]: line for line in result.stdout.splitlines() if ":" in line}
    assert "frozen bundle" in result.stdout
    assert "FFmpeg backend" in lines["ok   multimedia"]
    assert re.search(r"decoded a \d+x\d+ frame", lines["ok   multimedia"])
    assert "Secret Service, available" in lines["ok   keyring"]
    platforms = lines["ok   window platforms"].rsplit(" in ", 1)
    assert Path(platforms[1]).resolve().is_relative_to(bundle_dir.resolve())
    if sys.platform.startswith("linux"):
        assert {"xcb", "wayland", "offscreen"} <= set(platforms[0].split(": ", 1)[1].split(", "))
    demo_dir = Path(lines["ok   demo HLS"].rsplit(" in ", 1)[1])
    assert demo_dir.resolve().is_relative_to(bundle_dir.resolve())
    assert result.stdout.rstrip().endswith("self-check passed")


def test_self_check_warns_without_a_keyring_service(
    bundle_executable: Path, tmp_path: Path
) -> None:
    # No D-Bus session: no Secret Service. The bundle is fine; the environment limits it.
    env = clean_env(tmp_path, DBUS_SESSION_BUS_ADDRESS=f"unix:path={tmp_path}/no-bus")
    result = run(bundle_executable, "--self-check", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^warn keyring: .*kept in memory", result.stdout, re.MULTILINE)
    assert result.stdout.rstrip().endswith("self-check passed")


def test_demo_emulator_creates_a_livestream_that_goes_live(
    bundle_executable: Path, tmp_path: Path
) -> None:
    env = clean_env(tmp_path)
    with running_emulator(bundle_executable, env, tmp_path) as base_url:
        check_create_goes_live(bundle_executable, base_url, env, tmp_path, "bundle-smoke")


def start_demo_window(executable: Path, env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(executable), "--demo", "--debug"],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def check_demo_emulator_answers(output: LineReader) -> None:
    """The window's own emulator, started inside the frozen process, answers."""
    base_url = output.wait_for(r"demo mode: emulator at (\S+)", WINDOW_TIMEOUT_S).group(1)
    verify = httpx.get(
        f"{base_url}/accounts/{DEMO_ACCOUNT_ID}/tokens/verify",
        headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
        timeout=5,
    )
    assert verify.status_code == 200


def test_window_starts_offscreen_in_demo_mode(bundle_executable: Path, tmp_path: Path) -> None:
    with start_demo_window(bundle_executable, clean_env(tmp_path), tmp_path) as process:
        output = LineReader(process.stdout)
        try:
            check_demo_emulator_answers(output)
            # Built and shown by now; still running a moment later means it did not fall over.
            time.sleep(2)
            assert process.poll() is None, output.rest(5)
            assert "Traceback" not in "".join(output.lines)
        finally:
            stop_process(process)
            output.join()


@pytest.fixture
def xvfb() -> Iterator[str]:
    if shutil.which("Xvfb") is None or shutil.which("xdotool") is None:
        pytest.fail("Xvfb and xdotool are needed (scripts/install.sh test)")
    display = free_display(first=46)
    server = subprocess.Popen(
        ["Xvfb", f":{display}", "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        socket_path = Path(f"/tmp/.X11-unix/X{display}")
        deadline = time.monotonic() + 15
        while not socket_path.exists():
            assert server.poll() is None and time.monotonic() < deadline, "Xvfb did not start"
            time.sleep(0.05)
        yield f":{display}"
    finally:
        stop_process(server)


def xdotool(display: str, *args: str, timeout: float = WINDOW_TIMEOUT_S) -> str:
    result = subprocess.run(
        ["xdotool", *args],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"xdotool {' '.join(args)}: {result.stderr}"
    return result.stdout


def test_window_opens_in_demo_mode_and_quits_cleanly(
    bundle_executable: Path, tmp_path: Path, xvfb: str
) -> None:
    env = clean_env(tmp_path, QT_QPA_PLATFORM="xcb", DISPLAY=xvfb, QT_XCB_GL_INTEGRATION="none")
    with start_demo_window(bundle_executable, env, tmp_path) as process:
        output = LineReader(process.stdout)
        try:
            check_window_opens_and_quits(process, output, xvfb)
        finally:
            stop_process(process)
            output.join()


def check_window_opens_and_quits(
    process: subprocess.Popen[str], output: LineReader, xvfb: str
) -> None:
    check_demo_emulator_answers(output)
    found = xdotool(
        xvfb, "search", "--sync", "--onlyvisible", "--pid", str(process.pid), "--name", "."
    )
    titles = {window: xdotool(xvfb, "getwindowname", window).strip() for window in found.split()}
    main = [window for window, title in titles.items() if about.DISPLAY_NAME in title]
    assert main, titles
    xdotool(xvfb, "windowfocus", "--sync", main[0])
    xdotool(xvfb, "key", "--clearmodifiers", "ctrl+q")
    assert process.wait(WINDOW_TIMEOUT_S) == 0, output.rest(5)
    assert "Traceback" not in output.rest(5)


@pytest.mark.allow_skip_in_ci
@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="install.sh is the Linux installer"
)
def test_linux_installer_installs_and_removes_everything(bundle_dir: Path, tmp_path: Path) -> None:
    if not (bundle_dir / "install.sh").is_file():
        pytest.fail("the Linux bundle has no install.sh (scripts/build-bundle.sh adds it)")
    prefix = tmp_path / "prefix"
    installed = subprocess.run(
        ["bash", str(bundle_dir / "install.sh"), "--prefix", str(prefix)],
        env=clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr
    desktop = prefix / "share" / "applications" / f"{about.APP_ID}.desktop"
    assert subprocess.run(["desktop-file-validate", str(desktop)], check=False).returncode == 0
    assert f"Exec={prefix}/bin/{about.COMMAND_NAME}" in desktop.read_text()
    assert (prefix / "share" / "metainfo" / f"{about.APP_ID}.metainfo.xml").is_file()
    for size in (16, 48, 256):
        icon = prefix / "share/icons/hicolor" / f"{size}x{size}" / "apps" / f"{about.APP_ID}.png"
        assert icon.is_file()
    version = run(
        prefix / "bin" / about.COMMAND_NAME, "--version", env=clean_env(tmp_path), cwd=tmp_path
    )
    assert version.stdout.strip() == f"{about.COMMAND_NAME} {about.VERSION}"

    removed = subprocess.run(
        [
            "bash",
            str(prefix / "lib" / about.COMMAND_NAME / "install.sh"),
            "--uninstall",
            "--prefix",
            str(prefix),
        ],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    assert removed.returncode == 0, removed.stderr
    # Only the desktop's shared caches (mimeinfo.cache, icon-theme.cache) may stay.
    assert [p for p in prefix.rglob("*") if p.is_file() and p.suffix != ".cache"] == []


@pytest.mark.allow_skip_in_ci
@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the archive is made for Linux bundles"
)
def test_linux_archive_unpacks_to_a_working_bundle(bundle_dir: Path, tmp_path: Path) -> None:
    archives = list(bundle_dir.parent.glob(f"{about.COMMAND_NAME}-{about.VERSION}-linux-*.tar.gz"))
    assert len(archives) == 1, archives
    shutil.unpack_archive(archives[0], tmp_path / "unpacked", filter="tar")
    executable = tmp_path / "unpacked" / about.COMMAND_NAME / about.COMMAND_NAME
    version = run(executable, "--version", env=clean_env(tmp_path), cwd=tmp_path)
    assert version.stdout.strip() == f"{about.COMMAND_NAME} {about.VERSION}", version.stderr
