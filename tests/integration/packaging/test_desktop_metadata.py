"""The Linux desktop entry and AppStream metadata: their validators pass, and every id,
name and version in them is the one `app.about` holds."""

from __future__ import annotations

import configparser
import re
import shlex
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlparse

import pytest

from app import about
from app.cli import build_parser

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[3]
LINUX = REPO / "packaging" / "linux"
DESKTOP = LINUX / f"{about.APP_ID}.desktop"
METAINFO = LINUX / f"{about.APP_ID}.metainfo.xml"
SCREENSHOTS = REPO / "resources" / "screenshots"
SCREENSHOT_BASE_URL = f"https://{about.ORGANIZATION_DOMAIN}/screenshots/"


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def test_desktop_entry_passes_desktop_file_validate() -> None:
    result = run("desktop-file-validate", str(DESKTOP))
    # It prints errors, warnings and hints alike; a clean entry prints nothing.
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_metainfo_passes_appstreamcli_validate() -> None:
    result = run("appstreamcli", "validate", "--no-net", str(METAINFO))
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    # Infos are allowed: AppStream before 1.0 does not know the <developer> tag.
    problems = [line for line in report.splitlines() if re.match(r"[EW]:", line)]
    assert problems == [], report


def desktop_entry() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser


def test_desktop_entry_names_the_app_as_about_does() -> None:
    entry = desktop_entry()["Desktop Entry"]
    assert entry["Name"] == about.DISPLAY_NAME
    assert entry["Icon"] == about.APP_ID
    assert entry["TryExec"] == about.COMMAND_NAME


def test_every_exec_line_is_a_valid_command_line() -> None:
    entry = desktop_entry()
    groups = [name for name in entry.sections() if "Exec" in entry[name]]
    assert groups == ["Desktop Entry", "Desktop Action demo"]
    parser = build_parser()
    for group in groups:
        command, *arguments = shlex.split(entry[group]["Exec"])
        assert command == about.COMMAND_NAME
        parser.parse_args([a for a in arguments if not a.startswith("%")])  # exits when invalid
    assert parser.parse_args(shlex.split(entry["Desktop Action demo"]["Exec"])[1:]).demo


def metainfo() -> ET.Element:
    return ET.parse(METAINFO).getroot()


def test_metainfo_names_the_app_as_about_does() -> None:
    root = metainfo()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == about.APP_ID
    assert root.findtext("name") == about.DISPLAY_NAME
    assert root.findtext("launchable[@type='desktop-id']") == DESKTOP.name
    assert root.findtext("provides/binary") == about.COMMAND_NAME
    assert root.findtext("url[@type='homepage']") == f"https://{about.ORGANIZATION_DOMAIN}"
    assert root.find("content_rating").get("type") == "oars-1.1"
    assert root.findtext("developer/name") == root.findtext("developer_name")


def test_metainfo_licence_is_the_projects() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert metainfo().findtext("project_license") == project["license"]


def test_newest_release_is_the_about_version() -> None:
    releases = metainfo().findall("releases/release")
    assert releases, "no release listed"
    assert releases[0].get("version") == about.VERSION
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", releases[0].get("date"))
    dates = [release.get("date") for release in releases]
    assert dates == sorted(dates, reverse=True), "releases must be listed newest first"


def test_screenshots_are_the_window_screenshots_published() -> None:
    images = [image.text for image in metainfo().iter("image")]
    assert images
    for url in images:
        assert url.startswith(SCREENSHOT_BASE_URL), url
        name = Path(urlparse(url).path).name
        assert (SCREENSHOTS / name).is_file(), f"{name} is not among {SCREENSHOTS}"
        assert distinct_colours(SCREENSHOTS / name) > 16, f"{name} is (nearly) blank"


def distinct_colours(path: Path) -> int:
    """How many colours a 32 x 32 grid of samples finds: a blank capture has one."""
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    assert not image.isNull(), f"{path.name} does not load"
    return len(
        {
            image.pixel(x * image.width() // 32, y * image.height() // 32)
            for x in range(32)
            for y in range(32)
        }
    )
