"""The wheel and sdist, installed the way Python users install a desktop tool.

Builds both from the checkout (no network: the build backend comes from the test venv),
installs the wheel into a fresh venv outside the checkout and runs its commands from another
folder: nothing may come from the source tree. The fresh venv takes the app's dependencies
from the test venv through a .pth line, since tests never download; the wheel's own files
(the `app` and `resources` packages, the entry points) are the ones under test.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from app import about
from tests.integration.packaging.installed import (
    check_create_goes_live,
    clean_env,
    run,
    running_emulator,
    self_check_lines,
)

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[3]
BUILD_TIMEOUT_S = 300
# What the app loads at run time, as the wheel must carry it.
RUNTIME_FILES = (
    "resources/__init__.py",
    "resources/icons/livestream-companion.svg",
    "resources/icons/livestream-companion-256.png",
    "resources/demo-hls/loop.m3u8",
    "resources/demo-hls/segment-0.ts",
)


@dataclass(frozen=True)
class Distributions:
    wheel: Path
    sdist: Path


@dataclass(frozen=True)
class Installed:
    root: Path
    python: Path
    gui_script: Path
    console_script: Path


@pytest.fixture(scope="module")
def distributions(tmp_path_factory: pytest.TempPathFactory) -> Distributions:
    out = tmp_path_factory.mktemp("dist")
    # The default build makes the sdist, then the wheel from the unpacked sdist: a file the
    # sdist forgot is missing from the wheel too.
    built = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = out.glob("*.whl")
    (sdist,) = out.glob("*.tar.gz")
    return Distributions(wheel, sdist)


@pytest.fixture(scope="module")
def installed(distributions: Distributions, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("fresh-venv") / "venv"
    venv.EnvBuilder(with_pip=False).create(root)
    scripts = root / ("Scripts" if sys.platform == "win32" else "bin")
    python = scripts / ("python.exe" if sys.platform == "win32" else "python")
    site_packages = Path(
        subprocess.check_output(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            text=True,
        ).strip()
    )
    # After the venv's own site-packages on sys.path, so the wheel's packages come first.
    (site_packages / "zz-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "--disable-pip-version-check"]
    installing = subprocess.run(
        [*pip, "install", "--no-deps", "--no-index", str(distributions.wheel)],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    assert installing.returncode == 0, installing.stdout + installing.stderr
    exe = ".exe" if sys.platform == "win32" else ""
    return Installed(
        root,
        python,
        scripts / f"{about.COMMAND_NAME}{exe}",
        scripts / f"{about.COMMAND_NAME}-cli{exe}",
    )


def test_wheel_carries_what_the_app_loads(distributions: Distributions) -> None:
    names = set(zipfile.ZipFile(distributions.wheel).namelist())
    assert set(RUNTIME_FILES) <= names
    assert len([n for n in names if n.startswith("resources/demo-hls/segment-")]) == 8
    # Made for the README and for regenerating the segments; not loaded by the app.
    assert not [n for n in names if "screenshots" in n or n.endswith(".sh")]
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    text = zipfile.ZipFile(distributions.wheel).read(entry_points).decode()
    assert f"[gui_scripts]\n{about.COMMAND_NAME} = app.__main__:main" in text
    assert f"[console_scripts]\n{about.COMMAND_NAME}-cli = app.__main__:main" in text


def test_sdist_carries_the_sources_to_build_everything(distributions: Distributions) -> None:
    with tarfile.open(distributions.sdist) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert set(RUNTIME_FILES) <= names
    assert {
        "resources/demo-hls/make-segments.sh",
        "packaging/livestream-companion.spec",
        f"packaging/linux/{about.APP_ID}.desktop",
        f"packaging/linux/{about.APP_ID}.metainfo.xml",
        "scripts/build-bundle.sh",
        "LICENSE",
    } <= names


def test_installed_packages_come_from_the_fresh_venv(installed: Installed, tmp_path: Path) -> None:
    found = subprocess.run(
        [
            str(installed.python),
            "-c",
            "import app, resources; print(app.__file__, resources.__file__)",
        ],
        env=clean_env(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    for path in found.stdout.split():
        assert Path(path).resolve().is_relative_to(installed.root.resolve()), found.stdout


def test_both_launchers_run(installed: Installed, tmp_path: Path) -> None:
    for launcher in (installed.gui_script, installed.console_script):
        result = run(launcher, "--version", env=clean_env(tmp_path), cwd=tmp_path)
        assert result.stdout.strip() == f"{about.COMMAND_NAME} {about.VERSION}", result.stderr


def test_self_check_passes_from_the_installed_wheel(
    installed: Installed, tmp_path: Path, secret_service
) -> None:
    result = run(installed.console_script, "--self-check", env=clean_env(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(installed package," in result.stdout.splitlines()[0]
    checks = self_check_lines(result.stdout)
    assert all(line.startswith("ok") for line in checks.values()), checks
    assert "Secret Service, available" in checks["keyring"]
    demo_dir = Path(checks["demo HLS"].rsplit(" in ", 1)[1])
    assert demo_dir.resolve().is_relative_to(installed.root.resolve())
    assert result.stdout.rstrip().endswith("self-check passed")


def test_installed_emulator_serves_a_create_that_goes_live(
    installed: Installed, tmp_path: Path
) -> None:
    env = clean_env(tmp_path)
    with running_emulator(installed.console_script, env, tmp_path) as base_url:
        check_create_goes_live(installed.console_script, base_url, env, tmp_path, "wheel-smoke")
