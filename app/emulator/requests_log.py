"""What the emulator received: tests count calls and check them against the API description."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from email.message import Message

from app.emulator.faults import FaultKind

API_PREFIX = "/client/v4"


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    method: str
    path: str  # as sent, still percent-encoded, without the query
    query: dict[str, list[str]]
    # Header names as sent; the Authorization value keeps only its scheme ("Bearer [redacted]").
    headers: dict[str, str]
    json: object | None  # the body parsed as JSON, None when absent or not JSON
    body: bytes = field(repr=False)
    endpoint: str  # fault endpoint name ("create", "hls", ...), "" for unknown paths
    fault: FaultKind | None

    @property
    def api_path(self) -> str | None:
        """The path below the API base URL, as the OpenAPI description writes it."""
        if self.path.startswith(API_PREFIX + "/"):
            return self.path[len(API_PREFIX) :]
        return None


def masked_headers(headers: Message) -> dict[str, str]:
    result: dict[str, str] = {}
    for name, value in headers.items():
        if name.lower() == "authorization":
            scheme = value.strip().split(" ", 1)[0] if value.strip() else ""
            value = f"{scheme} [redacted]".strip()
        result[name] = value
    return result


def parse_json(body: bytes) -> object | None:
    if not body:
        return None
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None


class RequestLog:
    def __init__(self) -> None:
        self._entries: list[RecordedRequest] = []
        self._lock = threading.Lock()

    def add(self, entry: RecordedRequest) -> None:
        with self._lock:
            self._entries.append(entry)

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
