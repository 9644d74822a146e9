"""The Windows and macOS code paths, with the platform stubbed: this suite runs on Linux, and
the workflow in .github/workflows runs the same tests on the real systems."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from app import about
from app.cli import ensure_output_streams, main
from app.core.keyring_status import OS_BACKEND_MODULES, missing_backend_modules
from app.core.obs_settings import default_config_dir
from app.ui.clipboard import (
    KDE_SECRET_HINT,
    WINDOWS_EXCLUDE_MONITORING,
    WINDOWS_NO_CLOUD,
    WINDOWS_NO_HISTORY,
    secret_mime_data,
)


def finds_only(*present: str):
    def find_spec(name: str) -> object | None:
        return object() if name in present else None

    return find_spec


@pytest.mark.parametrize("platform", ["win32", "darwin", "linux"])
def test_a_complete_installation_lacks_no_keychain_module(platform: str) -> None:
    modules = OS_BACKEND_MODULES[platform]
    assert missing_backend_modules(platform, finds_only(*modules)) == []


def test_windows_needs_the_credential_locker_bindings() -> None:
    present = finds_only("keyring.backends.Windows")
    assert missing_backend_modules("win32", present) == ["win32ctypes.pywin32.win32cred"]


def test_macos_needs_the_keychain_backend() -> None:
    assert missing_backend_modules("darwin", finds_only()) == list(OS_BACKEND_MODULES["darwin"])


def test_linux_variants_are_linux() -> None:
    present = finds_only("keyring.backends.SecretService", "jeepney")
    assert missing_backend_modules("linux2", present) == ["secretstorage"]


def test_a_half_imported_parent_counts_as_missing() -> None:
    def find_spec(name: str) -> object:
        raise ModuleNotFoundError(name)

    assert missing_backend_modules("win32", find_spec) == list(OS_BACKEND_MODULES["win32"])


def test_an_unknown_platform_needs_nothing_known() -> None:
    assert missing_backend_modules("emscripten", finds_only()) == []


def test_windowless_launch_gets_streams_to_print_to(monkeypatch: pytest.MonkeyPatch) -> None:
    """pythonw and the windowed bundle start with no stdout or stderr at all."""
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])  # argparse prints the version, then exits
    assert exit_.value.code == 0
    assert sys.stdout is not None and sys.stderr is not None
    sys.stdout.close()
    sys.stderr.close()


def test_console_streams_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    ensure_output_streams()
    assert (sys.stdout, sys.stderr) == (out, err)


def test_windows_keeps_settings_in_the_roaming_app_data(tmp_path: Path) -> None:
    roaming = tmp_path / "Roaming"
    found = default_config_dir({"APPDATA": str(roaming)}, "win32", home=tmp_path)
    assert found == roaming / about.DISPLAY_NAME


def test_windows_without_appdata_falls_back_under_the_home(tmp_path: Path) -> None:
    found = default_config_dir({}, "win32", home=tmp_path)
    assert found == tmp_path / "AppData" / "Roaming" / about.DISPLAY_NAME


def test_macos_keeps_settings_in_application_support(tmp_path: Path) -> None:
    found = default_config_dir({"XDG_CONFIG_HOME": "/ignored"}, "darwin", home=tmp_path)
    assert found == tmp_path / "Library" / "Application Support" / about.DISPLAY_NAME


def test_linux_follows_xdg_then_the_home(tmp_path: Path) -> None:
    xdg = default_config_dir({"XDG_CONFIG_HOME": str(tmp_path / "x")}, "linux", home=tmp_path)
    assert xdg == tmp_path / "x" / about.ORGANIZATION_NAME
    plain = default_config_dir({}, "linux", home=tmp_path)
    assert plain == tmp_path / ".config" / about.ORGANIZATION_NAME


def test_a_copied_secret_carries_the_windows_and_kde_history_hints(qapp) -> None:
    """Windows' clipboard history and cloud sync skip it; so do Klipper and CopyQ."""
    mime = secret_mime_data("stream-key")
    assert mime.text() == "stream-key"
    formats = set(mime.formats())
    assert {KDE_SECRET_HINT, WINDOWS_EXCLUDE_MONITORING, WINDOWS_NO_HISTORY, WINDOWS_NO_CLOUD} <= (
        formats
    )
    # Windows reads these two as a DWORD: zero means "no".
    assert bytes(mime.data(WINDOWS_NO_HISTORY).data()) == b"\0\0\0\0"
    assert bytes(mime.data(WINDOWS_NO_CLOUD).data()) == b"\0\0\0\0"
    assert (
        WINDOWS_NO_HISTORY == 'application/x-qt-windows-mime;value="CanIncludeInClipboardHistory"'
    )
