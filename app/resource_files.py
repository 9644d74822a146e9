"""Where the files the app loads at run time are: one lookup through importlib.resources.

They are the top-level `resources` package, which sits beside `app/` in a checkout, in
site-packages when installed from the wheel, and in the PyInstaller bundle's contents
directory, so the same call finds them in all three.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACKAGE = "resources"
ICON_SVG = ("icons", "livestream-companion.svg")
DEMO_HLS = ("demo-hls",)


def resource_path(*parts: str) -> Path:
    """A file or folder of the package as a real path: Qt and the emulator open them by name.

    Every way this app is installed unpacks the package to plain files, so the traversable
    importlib returns is already a path.
    """
    return Path(str(files(PACKAGE).joinpath(*parts)))
