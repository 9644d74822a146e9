"""The window fits a 1920x1080 screen at 100 % and at 200 % (960x540 logical pixels), and at
its minimum size, with the error banner and an inline error showing, nothing is clipped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from tests.integration.ui.layout_probe import clipped

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]
PROBE = Path(__file__).with_name("layout_probe.py")


def probe(display: str, scale: str, tmp_path: Path) -> dict:
    env = dict(
        os.environ,
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        QT_XCB_GL_INTEGRATION="none",
        QT_SCALE_FACTOR=scale,
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        PYTHONPATH=str(ROOT),
    )
    done = subprocess.run(
        [sys.executable, str(PROBE), str(tmp_path / "settings.ini")],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.parametrize(
    ("screen", "scale", "logical", "orientation"),
    [
        ("1920x1080x24", "1", [1920, 1080], "Horizontal"),
        ("1920x1080x24", "2", [960, 540], "Horizontal"),
        # Narrow: the preview goes under the form.
        ("1280x1024x24", "1.5", [853, 683], "Vertical"),
    ],
    ids=["100%", "200%", "narrow"],
)
def test_the_window_fits_the_screen_and_nothing_is_clipped(
    make_xvfb, tmp_path, screen, scale, logical, orientation
):
    report = probe(make_xvfb(screen), scale, tmp_path)
    assert report["available"] == logical
    assert report["opened_fits"], report
    assert report["orientation"] == orientation
    width, height = report["minimum"]
    assert width <= logical[0] and height <= logical[1], report
    assert all(problems == [] for problems in report["clipped"].values()), report
    if logical[0] >= 960:
        assert report["size_960x540"] == [960, 540]


def test_the_clipping_check_sees_a_squeezed_label(qtbot):
    holder = QWidget()
    label = QLabel("A sentence long enough to need several lines at this width. " * 3, holder)
    label.setWordWrap(True)
    QVBoxLayout(holder).addWidget(label)
    holder.setFixedSize(200, 40)
    holder.show()
    qtbot.addWidget(holder)
    assert clipped(holder) and "QLabel" in clipped(holder)[0]
