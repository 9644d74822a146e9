"""Where the demo HLS segments are: the installed resources, or where the environment says."""

from __future__ import annotations

import os
from pathlib import Path

from app.resource_files import DEMO_HLS, resource_path

DEMO_HLS_ENV = "LIVESTREAM_COMPANION_DEMO_HLS"
_PLAYLIST = "loop.m3u8"


def demo_hls_dir() -> Path:
    """The folder holding loop.m3u8 and its segments; FileNotFoundError names every place tried."""
    candidates: list[Path] = []
    override = os.environ.get(DEMO_HLS_ENV)
    if override:
        candidates.append(Path(override))
    candidates.append(resource_path(*DEMO_HLS))  # checkout, wheel and bundle alike
    for candidate in candidates:
        if (candidate / _PLAYLIST).is_file():
            return candidate
    tried = ", ".join(str(candidate) for candidate in candidates)
    raise FileNotFoundError(f"demo HLS segments not found (looked in: {tried})")
