"""Settings files are the owner's alone, whether new or left 0644 by an older version."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import QSettings

from app.core.private_file import make_private_file
from app.ui.settings import AppSettings

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def test_new_and_old_files_become_owner_only(tmp_path):
    new = tmp_path / "sub" / "new.ini"
    make_private_file(new)
    old = tmp_path / "old.ini"
    old.write_text("[a]\nb=1\n")
    old.chmod(0o644)
    make_private_file(old)
    assert new.stat().st_mode & 0o777 == 0o600
    assert old.stat().st_mode & 0o777 == 0o600
    assert old.read_text() == "[a]\nb=1\n"


def test_qsettings_keeps_owner_only_after_saving(tmp_path, qapp):
    path = tmp_path / "settings.ini"
    settings = AppSettings.at_path(path)
    settings.account_id = "023e105f4ecef8ad9ca31a8372d0c353"
    del settings
    raw = QSettings(str(path), QSettings.Format.IniFormat)
    raw.setValue("form/app_id", "x")
    raw.sync()
    assert raw.value("form/account_id") == "023e105f4ecef8ad9ca31a8372d0c353"
    assert path.stat().st_mode & 0o777 == 0o600
