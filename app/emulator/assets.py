"""Where the demo HLS segments are: the source tree, a bundle, or where the environment says."""

from __future__ import annotations

import os
import sys
from pathlib import Path

DEMO_HLS_ENV = "LIVESTREAM_COMPANION_DEMO_HLS"
_RELATIVE = Path("resources") / "demo-hls"
_PLAYLIST = "loop.m3u8"


def demo_hls_dir() -> Path:
    """The folder holding loop.m3u8 and its segments; FileNotFoundError names every place tried."""
    candidates: list[Path] = []
    override = os.environ.get(DEMO_HLS_ENV)
    if override:
        candidates.append(Path(override))
    bundle_root = getattr(sys, "_MEIPASS", None)  # PyInstaller's unpacked data
    if bundle_root:
        candidates.append(Path(bundle_root) / _RELATIVE)
    candidates.append(Path(__file__).resolve().parents[2] / _RELATIVE)  # the source tree
    for candidate in candidates:
        if (candidate / _PLAYLIST).is_file():
            return candidate
    tried = ", ".join(str(candidate) for candidate in candidates)
    raise FileNotFoundError(f"demo HLS segments not found (looked in: {tried})")
