"""`--self-check`: proves that an installed copy has the parts it loads at run time.

A frozen bundle can start and still lack what is found dynamically: Qt's FFmpeg media
plugin and its libraries, the platform plugin that opens windows, a keyring backend, the
demo HLS segments. Each is exercised
for real here (a demo segment is decoded), without network traffic and without reading
or writing any secret. Qt is imported only inside the multimedia check, so the module
stays importable where the headless commands run.
"""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from app import about

# Bounded wait for the first decoded frame; a local segment decodes in tens of ms.
FIRST_FRAME_TIMEOUT_MS = 10_000
# The FFmpeg plugin announces itself (and its FFmpeg version) in this category at load.
FFMPEG_LOG_CATEGORY = "qt.multimedia.ffmpeg"
SEGMENT_SUFFIXES = (".ts", ".m4s", ".mp4", ".aac")
# Qt platform plugins that put a window on this OS's desktop; one of them must be there.
DESKTOP_PLATFORMS = {"linux": ("xcb", "wayland"), "darwin": ("cocoa",), "win32": ("windows",)}


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str
    # Passed, but this environment limits the app (no keyring service running): the
    # installation is fine, so the self-check still passes.
    warning: bool = False

    def line(self) -> str:
        level = "FAIL" if not self.ok else "warn" if self.warning else "ok  "
        return f"{level} {self.name}: {self.detail}"


def run_self_check(out: TextIO | None = None) -> int:
    """Runs every check, prints one line each, returns 0 when all passed else 1."""
    out = out or sys.stdout
    print(
        f"{about.DISPLAY_NAME} {about.VERSION} self-check ({installation()}, {sys.platform})",
        file=out,
    )

    results: list[CheckResult] = []

    def report(result: CheckResult) -> None:
        results.append(result)
        print(result.line(), file=out, flush=True)

    demo_result, segment = check_demo_hls()
    report(demo_result)
    report(check_multimedia(segment))
    report(check_window_platforms())
    report(check_keyring())

    failed = [result.name for result in results if not result.ok]
    if failed:
        print(f"self-check failed: {', '.join(failed)}", file=out)
        return 1
    print("self-check passed", file=out)
    return 0


def installation() -> str:
    if getattr(sys, "frozen", False):
        return "frozen bundle"
    # A checkout has its pyproject.toml beside the package; an installed wheel does not.
    if (Path(about.__file__).resolve().parents[1] / "pyproject.toml").is_file():
        return "from source"
    return "installed package"


def check_demo_hls() -> tuple[CheckResult, Path | None]:
    """The demo mode's HLS segments: returns the result and one segment to decode."""
    name = "demo HLS"
    try:
        from app.emulator import demo_hls_dir

        directory = Path(demo_hls_dir())
    except (ImportError, OSError, LookupError) as error:
        return CheckResult(name, False, f"cannot locate the demo segments: {error}"), None
    if not directory.is_dir():
        return CheckResult(name, False, f"{directory} is not a directory"), None
    segments = sorted(p for p in directory.rglob("*") if p.suffix.lower() in SEGMENT_SUFFIXES)
    playlists = sorted(directory.rglob("*.m3u8"))
    if not segments:
        return CheckResult(name, False, f"no media segments in {directory}"), None
    size = sum(p.stat().st_size for p in segments)
    detail = (
        f"{len(segments)} segments ({size / 1e6:.1f} MB)"
        f"{f', {len(playlists)} playlists' if playlists else ''} in {directory}"
    )
    return CheckResult(name, True, detail), segments[0]


def check_multimedia(segment: Path | None) -> CheckResult:
    """Loads QtMultimedia with the FFmpeg backend and decodes one frame of `segment`."""
    name = "multimedia"
    # Chosen before QtMultimedia loads its backend; the user's own choice is respected.
    os.environ.setdefault("QT_MEDIA_BACKEND", "ffmpeg")
    # Later rules win: make sure the plugin's load announcement reaches our handler.
    rules = os.environ.get("QT_LOGGING_RULES", "")
    os.environ["QT_LOGGING_RULES"] = ";".join(
        filter(None, [rules, f"{FFMPEG_LOG_CATEGORY}.info=true"])
    )
    try:
        from PySide6 import QtCore
    except ImportError as error:
        return CheckResult(name, False, f"Qt does not import: {error}")

    messages: list[tuple[str, str]] = []

    def collect(_kind: QtCore.QtMsgType, context: QtCore.QMessageLogContext, text: str) -> None:
        messages.append((context.category or "", text))

    # Installed before QtMultimedia loads, so its start-up chatter is kept for the report.
    previous_handler = QtCore.qInstallMessageHandler(collect)
    try:
        try:
            from PySide6 import QtMultimedia
        except ImportError as error:
            return CheckResult(name, False, f"QtMultimedia does not import: {error}")
        # Kept referenced: the player needs a living application object.
        _app = QtCore.QCoreApplication.instance() or QtCore.QCoreApplication([about.COMMAND_NAME])
        formats = QtMultimedia.QMediaFormat().supportedFileFormats(
            QtMultimedia.QMediaFormat.ConversionMode.Decode
        )
        decoded = _decode_first_frame(segment) if segment else None
    finally:
        QtCore.qInstallMessageHandler(previous_handler)

    backend = _ffmpeg_announcement(messages)
    backend_name = os.environ.get("QT_MEDIA_BACKEND", "")
    if backend is None:
        said = "; ".join(text for _, text in messages[-3:]) or "nothing"
        return CheckResult(
            name,
            False,
            f"the FFmpeg media backend did not load (QT_MEDIA_BACKEND={backend_name}, "
            f"Qt said: {said})",
        )
    if not formats:
        return CheckResult(name, False, f"{backend}, but it decodes no container format")
    if segment is None or decoded is None:
        return CheckResult(name, False, f"{backend}; no demo segment to decode")
    frame_ok, frame_detail = decoded
    if not frame_ok:
        return CheckResult(
            name, False, f"{backend}, but {segment.name} did not decode: {frame_detail}"
        )
    return CheckResult(
        name,
        True,
        f"Qt {QtCore.qVersion()}, {backend}, {len(formats)} container formats; "
        f"decoded a {frame_detail} frame from {segment.name}",
    )


def _decode_first_frame(segment: Path) -> tuple[bool, str]:
    """Plays `segment` into a video sink until its first frame: (True, its size) or
    (False, what went wrong)."""
    from PySide6 import QtCore, QtMultimedia

    player = QtMultimedia.QMediaPlayer()
    sink = QtMultimedia.QVideoSink()
    player.setVideoSink(sink)
    loop = QtCore.QEventLoop()
    outcome: list[tuple[bool, str]] = []

    def on_frame(frame) -> None:
        if frame.isValid() and not outcome:
            outcome.append((True, f"{frame.width()}x{frame.height()}"))
            loop.quit()

    def on_error(_error, text: str) -> None:
        if not outcome:
            outcome.append((False, text or "unknown error"))
            loop.quit()

    sink.videoFrameChanged.connect(on_frame)
    player.errorOccurred.connect(on_error)
    QtCore.QTimer.singleShot(FIRST_FRAME_TIMEOUT_MS, loop.quit)
    player.setSource(QtCore.QUrl.fromLocalFile(str(segment)))
    player.play()
    loop.exec()
    # Orderly teardown: an abandoned playing player can crash the interpreter at exit.
    player.stop()
    player.setSource(QtCore.QUrl())
    sink.videoFrameChanged.disconnect(on_frame)
    player.deleteLater()
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    return outcome[0] if outcome else (False, f"no frame within {FIRST_FRAME_TIMEOUT_MS} ms")


def _ffmpeg_announcement(messages: list[tuple[str, str]]) -> str | None:
    for category, text in messages:
        if category == FFMPEG_LOG_CATEGORY and "FFmpeg version" in text:
            version = text.split("FFmpeg version", 1)[1].split()[0]
            return f"FFmpeg backend (FFmpeg {version})"
    return None


def check_window_platforms() -> CheckResult:
    """The Qt platform plugins present: the window cannot open without this OS's own."""
    name = "window platforms"
    try:
        from PySide6.QtCore import QLibraryInfo
    except ImportError as error:
        return CheckResult(name, False, f"Qt does not import: {error}")
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    found = sorted(
        path.name.split(".")[0].removeprefix("lib").removeprefix("q")
        for path in folder.glob("*")
        if path.suffix in {".so", ".dll", ".dylib"}
    )
    wanted = DESKTOP_PLATFORMS.get("linux" if sys.platform.startswith("linux") else sys.platform)
    detail = f"{', '.join(found) or 'none'} in {folder}"
    if wanted and not set(wanted) & set(found):
        return CheckResult(name, False, f"none of {', '.join(wanted)}; found {detail}")
    return CheckResult(name, True, detail)


def check_keyring() -> CheckResult:
    """Tells a broken installation from an environment without a keyring service.

    The OS's keychain backend missing from the installation fails the check. A backend
    that is there but finds no service (no D-Bus session, no keyring daemon) is a warning:
    the app still works and keeps the token in memory for the session. The store's probe
    only reads an entry that is never written; a locked keyring counts as reached (the app
    asks the user to unlock it when a token is saved).
    """
    name = "keyring"
    try:
        from app.core.keyring_status import BackendState, missing_backend_modules
        from app.core.token_store import TokenStore
    except ImportError as error:
        return CheckResult(name, False, f"keyring does not import: {error}")
    missing = missing_backend_modules()
    if missing:
        return CheckResult(
            name,
            False,
            f"this installation lacks {', '.join(missing)}, which the OS keychain backend "
            "needs: reinstall the app",
        )

    async def probe():
        store = TokenStore()
        try:
            return await store.status()
        finally:
            store.close()

    status = asyncio.run(probe())
    detail = f"{status.backend_name}, {status.state.value}"
    if status.state is BackendState.UNAVAILABLE:
        return CheckResult(
            name,
            True,
            f"{detail}: {status.reason or status.detail}; a token is kept in memory for the "
            "session only until a keyring service runs",
            warning=True,
        )
    return CheckResult(name, True, detail)
