"""Finding the demo segments: the source tree, a bundle, an explicit folder."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.emulator import assets
from app.emulator.assets import DEMO_HLS_ENV, demo_hls_dir
from app.emulator.hls import TestPattern


def fake_segments(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "loop.m3u8").write_text("#EXTM3U\n")
    return folder


def test_source_tree_holds_a_complete_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DEMO_HLS_ENV, raising=False)
    folder = demo_hls_dir()
    assert folder == Path(assets.__file__).resolve().parents[2] / "resources" / "demo-hls"
    pattern = TestPattern(folder)
    assert len(pattern.loop.segments) == 8
    assert (folder / "make-segments.sh").is_file()
    total = sum(path.stat().st_size for path in folder.iterdir())
    assert total < 2_000_000  # committed to git: keep it small


def test_environment_override_comes_first(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    folder = fake_segments(tmp_path / "elsewhere")
    monkeypatch.setenv(DEMO_HLS_ENV, str(folder))
    assert demo_hls_dir() == folder


def test_installed_resources_package_is_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Wherever the `resources` package is imported from (a wheel, a bundle), its folder wins."""
    monkeypatch.delenv(DEMO_HLS_ENV, raising=False)
    package = tmp_path / "site-packages" / "resources"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    folder = fake_segments(package / "demo-hls")
    monkeypatch.setitem(sys.modules, "resources", None)
    del sys.modules["resources"]
    monkeypatch.syspath_prepend(str(tmp_path / "site-packages"))
    assert demo_hls_dir() == folder


def test_missing_everywhere_names_the_places(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(DEMO_HLS_ENV, str(tmp_path / "nothing"))
    monkeypatch.setattr(assets, "resource_path", lambda *parts: tmp_path.joinpath("a", *parts))
    with pytest.raises(FileNotFoundError) as error:
        demo_hls_dir()
    assert str(tmp_path / "nothing") in str(error.value)
    assert str(tmp_path / "a" / "demo-hls") in str(error.value)


def test_unequal_segment_durations_are_refused(tmp_path: Path) -> None:
    (tmp_path / "loop.m3u8").write_text("#EXTM3U\n#EXTINF:2.0,\na.ts\n#EXTINF:3.0,\nb.ts\n")
    with pytest.raises(ValueError, match="must all last"):
        TestPattern(tmp_path)
