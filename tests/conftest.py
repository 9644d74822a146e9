"""Suite-wide rules.

Under CI=true a skipped test fails: CI must start every real component the
tests need, so a skip there means a missing install step, not a pass.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "allow_skip_in_ci: the skip is about the platform, not a missing component"
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if (
        IN_CI
        and report.skipped
        and not hasattr(report, "wasxfail")
        and item.get_closest_marker("allow_skip_in_ci") is None
    ):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which must provide every component: {reason}"


# Shared fixtures, one module per area.
pytest_plugins = [
    "tests.fixtures.emulator",
    "tests.fixtures.keyring",
    "tests.fixtures.qt",
    "tests.fixtures.media",
    "tests.fixtures.obs",
    "tests.fixtures.hostile",
    "tests.fixtures.notifications",
]
