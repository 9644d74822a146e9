"""Searches what a run left behind (outputs, files, command lines) for secrets."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from pathlib import Path


def encodings(secret: str) -> list[bytes]:
    """The secret as a file or a pipe could hold it: raw, or base64 as file keyrings write it."""
    raw = secret.encode()
    return [raw, base64.b64encode(raw), base64.urlsafe_b64encode(raw)]


def files_under(root: Path) -> dict[str, bytes]:
    return {str(path): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def exposures(places: Mapping[str, str | bytes], secrets: Mapping[str, str]) -> list[str]:
    """'<secret name> in <place>' for every place holding a secret in any encoding."""
    found = []
    for where, content in places.items():
        data = content.encode() if isinstance(content, str) else content
        for name, secret in secrets.items():
            if any(form in data for form in encodings(secret)):
                found.append(f"{name} in {where}")
    return found


def cli_places(label: str, run, *, skip: Iterable[str] = ()) -> dict[str, str]:
    """A CLI run's outputs and what the OS showed of its process, by name."""
    places = {
        f"{label} stdout": run.stdout,
        f"{label} stderr": run.stderr,
        f"{label} argv": " ".join(run.argv),
        f"{label} /proc cmdline": run.proc_cmdline,
        f"{label} /proc environ": run.proc_environ,
    }
    for name in skip:
        del places[f"{label} {name}"]
    return places
