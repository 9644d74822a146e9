"""The fault plan's counting: skip, times, ordering, validation, thread safety."""

from __future__ import annotations

import threading

import pytest

from app.emulator import FaultKind
from app.emulator.faults import FaultPlan


def fired_kinds(plan: FaultPlan, endpoint: str, requests: int) -> list[FaultKind | None]:
    results = []
    for _ in range(requests):
        fault = plan.take(endpoint)
        results.append(fault.kind if fault else None)
    return results


def test_nothing_armed_nothing_fires() -> None:
    assert FaultPlan().take("create") is None


def test_times_and_skip() -> None:
    plan = FaultPlan()
    plan.inject("create", FaultKind.DROP_AFTER, times=2, skip=1)
    assert fired_kinds(plan, "create", 4) == [
        None,
        FaultKind.DROP_AFTER,
        FaultKind.DROP_AFTER,
        None,
    ]


def test_times_none_fires_on_every_request_until_cleared() -> None:
    plan = FaultPlan()
    plan.inject("hls", FaultKind.SERVER_ERROR_HTML, times=None)
    assert fired_kinds(plan, "hls", 5) == [FaultKind.SERVER_ERROR_HTML] * 5
    plan.clear()
    assert plan.take("hls") is None


def test_the_oldest_due_fault_fires_and_every_fault_counts_requests() -> None:
    plan = FaultPlan()
    plan.inject("list", FaultKind.RATE_LIMIT)
    plan.inject("list", FaultKind.DROP_BEFORE, skip=1)
    plan.inject("list", FaultKind.MALFORMED_JSON, skip=1)
    # Request 1: rate limit fires; the other two count it as skipped.
    # Request 2: both are due; the older fires, the newer waits its turn.
    assert fired_kinds(plan, "list", 4) == [
        FaultKind.RATE_LIMIT,
        FaultKind.DROP_BEFORE,
        FaultKind.MALFORMED_JSON,
        None,
    ]


def test_faults_keep_their_parameters() -> None:
    plan = FaultPlan()
    plan.inject("create", FaultKind.RATE_LIMIT, retry_after=9)
    plan.inject("get", FaultKind.DELAY, delay=0.5)
    assert plan.take("create").retry_after == 9
    assert plan.take("get").delay == 0.5


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("nowhere", FaultKind.RATE_LIMIT), {}),
        (("create", "RATE_LIMIT"), {}),
        (("create", FaultKind.RATE_LIMIT), {"times": 0}),
        (("create", FaultKind.RATE_LIMIT), {"skip": -1}),
        (("create", FaultKind.DELAY), {}),
        (("create", FaultKind.RATE_LIMIT), {"status": 503}),
    ],
)
def test_bad_injections_are_refused(args: tuple, kwargs: dict) -> None:
    with pytest.raises((ValueError, TypeError)):
        FaultPlan().inject(*args, **kwargs)


def test_concurrent_requests_consume_each_fault_exactly_once() -> None:
    plan = FaultPlan()
    plan.inject("create", FaultKind.DROP_AFTER, times=50)
    fired: list[object] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(25):
            fault = plan.take("create")
            if fault is not None:
                with lock:
                    fired.append(fault)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(fired) == 50
