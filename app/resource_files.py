"""Where the files the app loads at run time are: one lookup through the `resources` package.

They are the top-level `resources` package, which sits beside `app/` in a checkout, in
site-packages when installed from the wheel, and in the PyInstaller bundle's contents
directory, so the same call finds them in all three. The package's own folder is the
lookup (as importlib.resources finds it), without loading importlib.resources: the window's
icon is looked up before its first paint.
"""

from __future__ import annotations

import importlib
from pathlib import Path

PACKAGE = "resources"
ICON_SVG = ("icons", "livestream-companion.svg")
DEMO_HLS = ("demo-hls",)


def resource_path(*parts: str) -> Path:
    """A file or folder of the package as a real path: Qt and the emulator open them by name.

    Every way this app is installed unpacks the package to plain files, so its folder is
    a real one.
    """
    (folder,) = importlib.import_module(PACKAGE).__path__
    return Path(folder).joinpath(*parts)
