"""The Windows and macOS code paths, with the platform stubbed: this suite runs on Linux, and
the workflow in .github/workflows runs the same tests on the real systems."""

from __future__ import annotations

import io
import sys

import pytest

from app.cli import ensure_output_streams, main
from app.core.keyring_status import OS_BACKEND_MODULES, missing_backend_modules


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
