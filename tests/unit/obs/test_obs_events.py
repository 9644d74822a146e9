"""The OBS stream watcher against the fake obs-websocket 5 peer: starts, hostile events,
reconnecting."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

import pytest

from app.core.obs_errors import ObsNotReachableError
from app.core.obs_events import (
    EVENT_SUBSCRIPTION_OUTPUTS,
    FIRST_RETRY,
    MAX_RETRY,
    ObsStreamWatcher,
    is_stream_started,
    obs_connector,
)
from app.core.obs_settings import ObsSettings
from tests.fixtures.obs import OP_EVENT, FakeMode, FakeObs
from tests.fixtures.ports import free_port

WAIT = 5.0
# Long enough for events sent before it to have arrived and been looked at.
SETTLE = 0.3

STARTED = {
    "eventType": "StreamStateChanged",
    "eventIntent": EVENT_SUBSCRIPTION_OUTPUTS,
    "eventData": {"outputActive": True, "outputState": "OBS_WEBSOCKET_OUTPUT_STARTED"},
}


def stream_state(active: object, state: object) -> dict:
    return {
        "eventType": "StreamStateChanged",
        "eventData": {"outputActive": active, **{"outputState": state}},
    }


MALFORMED_EVENTS = [
    None,
    "StreamStateChanged",
    ["StreamStateChanged"],
    {},
    {"eventType": "StreamStateChanged"},
    {"eventType": "StreamStateChanged", "eventData": None},
    {"eventType": "StreamStateChanged", "eventData": ["outputActive", True]},
    {"eventType": "StreamStateChanged", "eventData": {"outputActive": True}},
    stream_state(1, "OBS_WEBSOCKET_OUTPUT_STARTED"),
    stream_state("true", "OBS_WEBSOCKET_OUTPUT_STARTED"),
    stream_state(False, "OBS_WEBSOCKET_OUTPUT_STARTED"),
    stream_state(True, "OBS_WEBSOCKET_OUTPUT_RECONNECTING"),
    stream_state(True, ["OBS_WEBSOCKET_OUTPUT_STARTED"]),
    stream_state(True, "OBS_WEBSOCKET_OUTPUT_STARTED" * 1000),
    {"eventType": "RecordStateChanged", "eventData": STARTED["eventData"]},
    {"eventType": ["StreamStateChanged"], "eventData": STARTED["eventData"]},
    {"eventType": "StreamStateChanged" * 1000, "eventData": STARTED["eventData"]},
]


class Recorder:
    def __init__(self) -> None:
        self.started = 0
        self.watching: list[bool] = []

    def on_started(self) -> None:
        self.started += 1

    async def wait_started(self, count: int) -> None:
        async with asyncio.timeout(WAIT):
            while self.started < count:
                await asyncio.sleep(0.01)

    async def wait_watching(self, times: int = 1) -> None:
        """Until the watcher has been connected `times` times and is now."""
        async with asyncio.timeout(WAIT):
            while self.watching.count(True) < times or not self.watching[-1]:
                await asyncio.sleep(0.01)


class StopWatching(Exception):
    pass


def settings_for(peer: FakeObs) -> ObsSettings:
    return ObsSettings(host="127.0.0.1", port=peer.port)


def recorded_sleep(delays: list[float], *, stop_after: int = 100) -> Callable:
    async def sleep(delay: float) -> None:
        delays.append(delay)
        if len(delays) >= stop_after:
            raise StopWatching
        await asyncio.sleep(0)

    return sleep


@contextlib.asynccontextmanager
async def running(watcher: ObsStreamWatcher) -> AsyncIterator[asyncio.Task]:
    task = asyncio.create_task(watcher.run())
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, WAIT)


def watcher_for(peer: FakeObs, recorder: Recorder, **kwargs) -> ObsStreamWatcher:
    async def password() -> str | None:
        return peer.password

    return ObsStreamWatcher(
        obs_connector(settings_for(peer), password, timeout=1.0),
        recorder.on_started,
        on_watching=recorder.watching.append,
        **kwargs,
    )


def test_only_a_started_stream_state_counts():
    assert is_stream_started(STARTED)
    assert not any(is_stream_started(payload) for payload in MALFORMED_EVENTS)


async def test_stream_started_in_obs_is_reported_once(fake_obs: FakeObs):
    recorder = Recorder()
    async with running(watcher_for(fake_obs, recorder)):
        await recorder.wait_watching()
        assert fake_obs.identified == [EVENT_SUBSCRIPTION_OUTPUTS]
        assert recorder.watching == [True]

        await fake_obs.start_stream_by_hand()  # STARTING, then STARTED
        await recorder.wait_started(1)
        await asyncio.sleep(SETTLE)

    assert recorder.started == 1
    assert recorder.watching == [True, False]
    assert fake_obs.request_types() == []  # it only listens


async def test_events_outside_outputs_are_not_sent_to_it(fake_obs: FakeObs):
    recorder = Recorder()
    async with running(watcher_for(fake_obs, recorder)):
        await recorder.wait_watching()
        assert await fake_obs.emit_event("CurrentProgramSceneChanged", intent=1 << 2) == 0
        assert await fake_obs.emit_event("StreamStateChanged", STARTED["eventData"]) == 1
        await recorder.wait_started(1)


async def test_malformed_events_are_ignored_and_the_connection_stays(fake_obs: FakeObs):
    recorder = Recorder()
    async with running(watcher_for(fake_obs, recorder)):
        await recorder.wait_watching()
        for payload in MALFORMED_EVENTS:
            await fake_obs.send_raw({"op": OP_EVENT, "d": payload})
        # Events are handled in order: once this one counts, all before it were looked at.
        await fake_obs.send_raw({"op": OP_EVENT, "d": STARTED})
        await recorder.wait_started(1)
        await asyncio.sleep(SETTLE)

    assert recorder.started == 1
    assert len(fake_obs.identified) == 1


UNREADABLE_MESSAGES = [None, 7, "op", [5, STARTED], {"d": STARTED}, {"op": 5}]
CONNECTION_ENDINGS = [
    pytest.param(lambda peer, m=message: peer.send_raw(m), id=f"unreadable-{index}")
    for index, message in enumerate(UNREADABLE_MESSAGES)
] + [pytest.param(lambda peer: peer.drop_clients(), id="obs-quits")]


@pytest.mark.parametrize("end_connection", CONNECTION_ENDINGS)
async def test_a_lost_connection_is_followed_by_a_reconnect(
    fake_obs: FakeObs, end_connection: Callable
):
    recorder = Recorder()
    delays: list[float] = []
    async with running(watcher_for(fake_obs, recorder, sleep=recorded_sleep(delays))):
        await recorder.wait_watching()
        await end_connection(fake_obs)
        await recorder.wait_watching(2)
        await fake_obs.start_stream_by_hand()
        await recorder.wait_started(1)

    assert delays == [FIRST_RETRY]
    assert recorder.started == 1
    assert recorder.watching == [True, False, True, False]


async def test_without_obs_it_retries_with_capped_backoff_quietly(caplog):
    caplog.set_level(logging.DEBUG)
    recorder = Recorder()
    delays: list[float] = []
    attempts: list[ObsSettings] = []
    settings = ObsSettings(host="127.0.0.1", port=free_port())
    connect_to_nothing = obs_connector(settings, _no_password, timeout=1.0)

    async def connect(on_event):
        attempts.append(settings)
        return await connect_to_nothing(on_event)

    watcher = ObsStreamWatcher(
        connect, recorder.on_started, sleep=recorded_sleep(delays, stop_after=8)
    )
    with pytest.raises(StopWatching):
        await asyncio.wait_for(watcher.run(), WAIT)

    assert delays == [2.0, 4.0, 8.0, 16.0, MAX_RETRY, MAX_RETRY, MAX_RETRY, MAX_RETRY]
    assert len(attempts) == 8
    assert recorder.started == 0
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert ObsNotReachableError.__name__ in caplog.text  # said once per try, at DEBUG


async def test_a_wrong_password_is_retried_quietly(fake_obs: FakeObs, caplog):
    caplog.set_level(logging.DEBUG)
    recorder = Recorder()
    delays: list[float] = []

    async def wrong() -> str:
        return "not-the-password"

    watcher = ObsStreamWatcher(
        obs_connector(settings_for(fake_obs), wrong, timeout=1.0),
        recorder.on_started,
        on_watching=recorder.watching.append,
        sleep=recorded_sleep(delays, stop_after=3),
    )
    with pytest.raises(StopWatching):
        await asyncio.wait_for(watcher.run(), WAIT * 2)

    assert delays == [2.0, 4.0, 8.0]
    assert recorder.watching == []
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert "not-the-password" not in caplog.text


async def _no_password() -> None:
    return None


async def test_stopping_while_connecting_leaves_no_connection(fake_obs: FakeObs):
    fake_obs.mode = FakeMode.SILENT  # accepts the socket, never says Hello
    recorder = Recorder()
    async with running(watcher_for(fake_obs, recorder)):
        async with asyncio.timeout(WAIT):
            while not fake_obs.sockets:
                await asyncio.sleep(0.01)
    async with asyncio.timeout(WAIT):
        while fake_obs.sockets:
            await asyncio.sleep(0.01)
    assert recorder.watching == []
