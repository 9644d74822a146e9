"""Packaging files that need no tool to check: icons, Windows version info, macOS plist keys."""

from __future__ import annotations

import ast
import runpy
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from app import about

REPO = Path(__file__).resolve().parents[3]
ICONS = REPO / "resources" / "icons"
SPEC = REPO / "packaging" / "livestream-companion.spec"
# The hicolor sizes the Linux bundle installs (scripts/build-bundle.sh).
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", header[16:24])


@pytest.mark.parametrize("size", ICON_SIZES)
def test_png_icon_has_its_nominal_size(size: int) -> None:
    assert png_size(ICONS / f"livestream-companion-{size}.png") == (size, size)


@pytest.mark.parametrize("name", ["livestream-companion.svg", "livestream-companion-small.svg"])
def test_svg_icon_is_square_svg(name: str) -> None:
    root = ET.parse(ICONS / name).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    assert width == height


def load_version_info() -> dict:
    return runpy.run_path(str(REPO / "packaging" / "windows" / "version_info.py"))


def test_windows_version_info_carries_the_about_version() -> None:
    version_info = load_version_info()
    text = version_info["render_version_info"]()
    tree = ast.parse(text, mode="eval")  # PyInstaller evaluates this text as an expression
    strings = {
        node.args[0].value: node.args[1].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "StringStruct"
    }
    assert strings["ProductVersion"] == about.VERSION
    assert strings["FileVersion"] == about.VERSION
    assert strings["ProductName"] == about.DISPLAY_NAME
    assert strings["OriginalFilename"] == f"{about.COMMAND_NAME}.exe"
    fixed = {
        keyword.arg: ast.literal_eval(keyword.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "FixedFileInfo"
        for keyword in node.keywords
        if keyword.arg in {"filevers", "prodvers"}
    }
    expected = (*(int(part) for part in about.VERSION.split(".")), 0)
    assert fixed == {"filevers": expected, "prodvers": expected}


@pytest.mark.parametrize(
    ("version", "numbers"),
    [
        ("0.1.0", (0, 1, 0, 0)),
        ("1.2.3rc1", (1, 2, 3, 0)),
        ("2", (2, 0, 0, 0)),
        ("1.x", (1, 0, 0, 0)),
    ],
)
def test_windows_version_numbers_are_four_integers(version: str, numbers: tuple) -> None:
    assert load_version_info()["version_tuple"](version) == numbers


def bundle_call() -> ast.Call:
    calls = [
        node
        for node in ast.walk(ast.parse(SPEC.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "BUNDLE"
    ]
    assert len(calls) == 1
    return calls[0]


def test_macos_bundle_takes_its_identity_from_about() -> None:
    keywords = {keyword.arg: keyword.value for keyword in bundle_call().keywords}
    assert ast.unparse(keywords["bundle_identifier"]) == "about.APP_ID"
    assert ast.unparse(keywords["version"]) == "about.VERSION"
    plist = keywords["info_plist"]
    assert isinstance(plist, ast.Dict)
    entries = {
        key.value: ast.unparse(value) for key, value in zip(plist.keys, plist.values, strict=True)
    }
    assert entries["CFBundleDisplayName"] == "about.DISPLAY_NAME"
    assert entries["CFBundleShortVersionString"] == "about.VERSION"
    assert entries["NSHighResolutionCapable"] == "True"
    assert "OBS" in entries["NSLocalNetworkUsageDescription"]
