"""Bundle tests run only when there is a bundle to test, or one is asked for.

They are deselected (not skipped) otherwise, so a default run neither builds a bundle
(a minute or more) nor reports skips. They run when:
- LIVESTREAM_COMPANION_BUNDLE=build: build one first with scripts/build-bundle.sh (.ci/run
  sets this, so CI builds and tests the bundle);
- LIVESTREAM_COMPANION_BUNDLE=<folder>: test the one-folder bundle in that folder;
- dist/livestream-companion/ holds a bundle (scripts/build-bundle.sh was run);
- or the -m expression names the marker (`-m bundle`), which builds one if dist/ has none.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app import about

REPO = Path(__file__).resolve().parents[3]
BUNDLE_ENV = "LIVESTREAM_COMPANION_BUNDLE"
DIST_BUNDLE = REPO / "dist" / about.COMMAND_NAME
BUILD_TIMEOUT_S = 1800
EXECUTABLE_NAME = about.COMMAND_NAME + ("-cli.exe" if sys.platform == "win32" else "")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"bundle: tests the built one-folder bundle (run with -m bundle or {BUNDLE_ENV}=build)",
    )


def _bundle_wanted(config: pytest.Config) -> bool:
    return bool(
        os.environ.get(BUNDLE_ENV)
        or (DIST_BUNDLE / EXECUTABLE_NAME).is_file()
        or "bundle" in (config.getoption("markexpr", "") or "")
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _bundle_wanted(config):
        return
    unwanted = [item for item in items if item.get_closest_marker("bundle")]
    if unwanted:
        config.hook.pytest_deselected(items=unwanted)
        items[:] = [item for item in items if not item.get_closest_marker("bundle")]


@pytest.fixture(scope="session")
def bundle_dir() -> Path:
    """The one-folder bundle under test (built first when asked or when there is none)."""
    wanted = os.environ.get(BUNDLE_ENV, "")
    if wanted and wanted != "build":
        folder = Path(wanted).resolve()
    else:
        folder = DIST_BUNDLE
        if wanted == "build" or not (folder / EXECUTABLE_NAME).is_file():
            _build()
    assert (folder / EXECUTABLE_NAME).is_file(), f"no {EXECUTABLE_NAME} in {folder}"
    return folder


def _build() -> None:
    started = time.monotonic()
    result = subprocess.run(
        ["bash", str(REPO / "scripts" / "build-bundle.sh")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    assert result.returncode == 0, f"bundle build failed:\n{result.stdout}\n{result.stderr}"
    print(f"bundle built in {time.monotonic() - started:.0f} s", file=sys.stderr)


@pytest.fixture(scope="session")
def bundle_executable(bundle_dir: Path) -> Path:
    return bundle_dir / EXECUTABLE_NAME
