#!/usr/bin/env python3
"""Screenshots of the window for the README and the AppStream metadata.

Runs the real app under Xvfb and drives it with the keyboard through xdotool, as
a user would: the empty form (a first start, fresh settings), a created
livestream in demo mode, its past sessions and the app's usage chart (demo mode's
history), an error banner (demo mode, a wrong token), the same in a dark theme, at
200 % on a 1920x1080 screen, and on a narrow screen (the preview under the form).

    scripts/screenshots.py [--out resources/screenshots] [--display 44]

Needs: Xvfb, xdotool, ImageMagick (import), dbus-run-session and gnome-keyring
(for the first start's keyring line).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
# WM_CLASS class name (from the application name); titles vary (demo mode).
WINDOW_CLASS = "Livestream Companion"
SCREEN = "1280x800x24"
# (file, screen, extra environment) of the created livestream in other settings.
VARIANTS = (
    ("05-dark.png", SCREEN, {"QT_QPA_PLATFORMTHEME": "gtk3", "GTK_THEME": "Adwaita:dark"}),
    ("06-scale-200.png", "1920x1080x24", {"QT_SCALE_FACTOR": "2"}),
    ("07-narrow.png", "900x1000x24", {}),
)
WRONG_TOKEN = "this-is-not-a-valid-cloudflare-token-000"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "screenshots")
    parser.add_argument("--display", type=int, default=44)
    args = parser.parse_args()
    for tool in (
        "Xvfb",
        "xdotool",
        "import",
        "convert",
        "dbus-run-session",
        "gnome-keyring-daemon",
    ):
        if shutil.which(tool) is None:
            print(f"missing tool: {tool}", file=sys.stderr)
            return 2
    args.out.mkdir(parents=True, exist_ok=True)
    display = f":{args.display}"
    with _xvfb(display, SCREEN), tempfile.TemporaryDirectory(prefix="lc-shots-") as home:
        env = _environment(display, Path(home))
        shoot_empty_form(env, args.out / "01-empty-form.png")
        shoot_demo(env, args.out)
    for name, screen, extra in VARIANTS:
        with _xvfb(display, screen), tempfile.TemporaryDirectory(prefix="lc-shots-") as home:
            env = {**_environment(display, Path(home)), **extra}
            shoot_created(env, args.out / name)
    for png in sorted(args.out.glob("*.png")):
        shown = png.relative_to(ROOT) if png.is_relative_to(ROOT) else png
        print(f"{shown}  {png.stat().st_size // 1024} KiB")
    return 0


@contextlib.contextmanager
def _xvfb(display: str, screen: str):
    xvfb = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", screen, "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_display(display)
        yield
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)


def _environment(display: str, home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        QT_XCB_GL_INTEGRATION="none",
        # A first start: no settings, no saved token, a throwaway keyring.
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_RUNTIME_DIR=str(home / "runtime"),
        LANG="en_US.UTF-8",
    )
    (home / "runtime").mkdir(mode=0o700)
    env.pop("CLOUDFLARE_API_BASE_URL", None)
    return env


def shoot_empty_form(env: dict[str, str], out: Path) -> None:
    # Inside a D-Bus session with an unlocked keyring, as on a desktop.
    script = (
        'echo "" | gnome-keyring-daemon --unlock --components=secrets >/dev/null; '
        f'exec "{PYTHON}" -m app --api-base-url http://127.0.0.1:9/client/v4'
    )
    with _app(["dbus-run-session", "--", "sh", "-c", script], env) as window:
        time.sleep(2.0)
        _capture(window, out)


def shoot_demo(env: dict[str, str], out_dir: Path) -> None:
    with _app([str(PYTHON), "-m", "app", "--demo"], env) as window:
        _create_and_wait(window)
        _capture(window, out_dir / "02-created.png")

        # View menu: Usage of this app (Ctrl+Shift+G); the dialog is a window of its own.
        _press(window, "ctrl+shift+g")
        time.sleep(2.5)
        usage = _find_window_named("Usage of this app")
        _capture(usage, out_dir / "04-usage.png")
        _press(usage, "Escape")
        time.sleep(0.5)

        # A wrong token: focus the field by its mnemonic, replace it, press Enter.
        _press(window, "alt+t", "ctrl+a")
        _xdotool("type", "--delay", "5", WRONG_TOKEN)
        _press(window, "Return")
        time.sleep(2.5)
        _capture(window, out_dir / "03-error-banner.png")


def shoot_created(env: dict[str, str], out: Path) -> None:
    with _app([str(PYTHON), "-m", "app", "--demo"], env) as window:
        _create_and_wait(window)
        _capture(window, out)


def _create_and_wait(window: str) -> None:
    time.sleep(1.5)
    # Create with the keyboard: Alt+C is the Create button's mnemonic.
    _press(window, "alt+c")
    # Long enough for the emulator's stream to go live and the preview to play.
    time.sleep(14.0)


class _app:
    """Starts the app, finds its window, and stops it (Ctrl+Q, then a signal) on exit."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self._command = command
        self._env = env

    def __enter__(self) -> str:
        # A session of its own, so the whole tree (dbus-run-session, its bus) can be stopped.
        self._process = subprocess.Popen(
            self._command, env=self._env, cwd=ROOT, start_new_session=True
        )
        self.window = _find_main_window(self._env)
        return self.window

    def __exit__(self, *exc_info: object) -> None:
        _press(self.window, "ctrl+q")
        try:
            self._process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            print("the app did not quit on Ctrl+Q; stopping it", file=sys.stderr)
        # The app has quit; this ends what its session left behind (a D-Bus daemon).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout=10)


def _find_main_window(env: dict[str, str]) -> str:
    """The app's largest window: Qt also makes tiny helper windows of the same class."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = subprocess.run(
            ["xdotool", "search", "--class", WINDOW_CLASS], env=env, capture_output=True, text=True
        )
        sizes = {}
        for window in found.stdout.split():
            shape = subprocess.run(
                ["xdotool", "getwindowgeometry", "--shell", window],
                env=env,
                capture_output=True,
                text=True,
            ).stdout
            values = dict(line.split("=", 1) for line in shape.split() if "=" in line)
            sizes[window] = int(values.get("WIDTH", 0)) * int(values.get("HEIGHT", 0))
        if sizes and max(sizes.values()) > 400 * 300:
            return max(sizes, key=sizes.get)
        time.sleep(0.2)
    raise RuntimeError("the app's window did not appear")


def _find_window_named(title: str) -> str:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", title],
            env=_xdotool.env,
            capture_output=True,
            text=True,
        ).stdout.split()
        if found:
            return found[-1]
        time.sleep(0.2)
    raise RuntimeError(f"no window named {title!r} appeared")


def _press(window: str, *keys: str) -> None:
    # Real key events on the focused window: Qt ignores shortcuts in events sent to a window.
    _xdotool("windowfocus", "--sync", window)
    _xdotool("key", *keys)


def _xdotool(*args: str) -> None:
    subprocess.run(["xdotool", *args], check=True, env=_xdotool.env, timeout=30)


def _capture(window: str, out: Path) -> None:
    subprocess.run(
        ["import", "-window", window, str(out)], check=True, env=_xdotool.env, timeout=30
    )
    # 256 colours without dithering: text stays crisp and the file a third of the size.
    subprocess.run(
        ["convert", str(out), "-strip", "-dither", "None", "-colors", "256", f"PNG8:{out}"],
        check=True,
        timeout=30,
    )


def _wait_for_display(display: str) -> None:
    env = dict(os.environ, DISPLAY=display)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if (
            subprocess.run(["xdotool", "getmouselocation"], env=env, capture_output=True).returncode
            == 0
        ):
            _xdotool.env = env
            return
        time.sleep(0.1)
    raise RuntimeError(f"Xvfb did not start on {display}")


if __name__ == "__main__":
    sys.exit(main())
