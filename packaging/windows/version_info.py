"""The Windows version resource, rendered from `app.about` so the version has one source.

PyInstaller reads this text format (a `VSVersionInfo(...)` expression) from the file the
spec writes at build time; nothing version-bearing is committed for Windows.
Preview it with `PYTHONPATH=. python packaging/windows/version_info.py`.
"""

from __future__ import annotations

import re
import sys

from app import about

COPYRIGHT = f"Copyright the {about.ORGANIZATION_NAME} developers. MIT License."
# US English, Unicode: the one language the string table is written in.
_LANGUAGE_CODEPAGE = "040904B0"


def version_tuple(version: str = about.VERSION) -> tuple[int, int, int, int]:
    """Windows wants four 16-bit numbers; a suffix such as "rc1" has no place there."""
    numbers = [
        int(match.group()) if (match := re.match(r"\d+", part)) else 0
        for part in version.split(".")[:4]
    ]
    return tuple([*numbers, 0, 0, 0, 0][:4])  # type: ignore[return-value]


def render_version_info() -> str:
    numbers = version_tuple()
    strings = {
        "CompanyName": about.ORGANIZATION_NAME,
        "FileDescription": about.DISPLAY_NAME,
        "FileVersion": about.VERSION,
        "InternalName": about.COMMAND_NAME,
        "LegalCopyright": COPYRIGHT,
        "OriginalFilename": f"{about.COMMAND_NAME}.exe",
        "ProductName": about.DISPLAY_NAME,
        "ProductVersion": about.VERSION,
    }
    string_structs = ",\n          ".join(
        f"StringStruct({key!r}, {value!r})" for key, value in strings.items()
    )
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers},
    prodvers={numbers},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        {_LANGUAGE_CODEPAGE!r},
        [
          {string_structs}
        ])
    ]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""


if __name__ == "__main__":
    sys.stdout.write(render_version_info())
