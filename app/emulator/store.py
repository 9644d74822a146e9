"""The emulator's in-memory world: accounts, their RealtimeKit apps and each app's livestreams."""

from __future__ import annotations

import itertools
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from app.emulator.broadcast import Broadcast, BroadcastState


@dataclass(frozen=True, slots=True)
class EmulatedApp:
    account_id: str
    id: str
    name: str
    created_wall: float


@dataclass(frozen=True, slots=True)
class LivestreamRecord:
    """A livestream the emulator holds; its status follows its broadcast."""

    account_id: str
    app_id: str
    id: str
    name: str | None
    ingest_server: str
    stream_key: str = field(repr=False)
    playback_url: str
    created_wall: float
    seq: int  # creation order, to sort livestreams created within the same millisecond
    broadcast: Broadcast = field(repr=False)
    disabled: bool = False
    meeting_id: str | None = None

    @property
    def status(self) -> str:
        state = self.broadcast.state
        if state is BroadcastState.ERRORED:
            return "ERRORED"
        return "LIVE" if state in (BroadcastState.LIVE, BroadcastState.STALLED) else "IDLE"

    @property
    def updated_wall(self) -> float:
        return max(self.created_wall, self.broadcast.changed_wall)


def new_stream_key() -> str:
    # As long as Cloudflare's (64 characters), unguessable, unique.
    return secrets.token_hex(32)


class Store:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._apps: dict[tuple[str, str], EmulatedApp] = {}
        self._livestreams: dict[str, LivestreamRecord] = {}
        self._seq = itertools.count()

    def add_app(self, account_id: str, app_id: str, name: str) -> EmulatedApp:
        app = EmulatedApp(account_id, app_id, name, time.time())
        with self._lock:
            self._apps[(account_id, app_id)] = app
        return app

    def has_account(self, account_id: str) -> bool:
        with self._lock:
            return any(key[0] == account_id for key in self._apps)

    def app(self, account_id: str, app_id: str) -> EmulatedApp | None:
        with self._lock:
            return self._apps.get((account_id, app_id))

    def apps(self, account_id: str) -> list[EmulatedApp]:
        with self._lock:
            return [app for (account, _), app in self._apps.items() if account == account_id]

    def create_livestream(
        self,
        account_id: str,
        app_id: str,
        name: str | None,
        *,
        make_urls: Callable[[str, str], tuple[str, str]],
        make_broadcast: Callable[[], Broadcast],
        created_wall: float | None = None,
    ) -> LivestreamRecord:
        """make_urls(livestream_id, stream_key) -> (ingest_server, playback_url)."""
        livestream_id = str(uuid.uuid4())
        with self._lock:
            keys = {record.stream_key for record in self._livestreams.values()}
            stream_key = new_stream_key()
            while stream_key in keys:
                stream_key = new_stream_key()
            ingest_server, playback_url = make_urls(livestream_id, stream_key)
            record = LivestreamRecord(
                account_id=account_id,
                app_id=app_id,
                id=livestream_id,
                name=name,
                ingest_server=ingest_server,
                stream_key=stream_key,
                playback_url=playback_url,
                created_wall=time.time() if created_wall is None else created_wall,
                seq=next(self._seq),
                broadcast=make_broadcast(),
            )
            self._livestreams[livestream_id] = record
        return record

    def livestream(self, livestream_id: str) -> LivestreamRecord | None:
        with self._lock:
            return self._livestreams.get(livestream_id)

    def by_stream_key(self, stream_key: str) -> LivestreamRecord | None:
        with self._lock:
            return next((r for r in self._livestreams.values() if r.stream_key == stream_key), None)

    def livestreams(self, account_id: str, app_id: str) -> list[LivestreamRecord]:
        """Oldest first."""
        with self._lock:
            records = [
                record
                for record in self._livestreams.values()
                if record.account_id == account_id and record.app_id == app_id
            ]
        return sorted(records, key=lambda record: record.seq)
