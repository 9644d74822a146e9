"""The task runner keeps, cancels and reports tasks; the qloop fixture runs them."""

from __future__ import annotations

import asyncio

from app.ui.tasks import TaskRunner


def test_task_result_and_tracking(qloop, qtbot):
    runner = TaskRunner()

    async def work():
        await asyncio.sleep(0.01)
        return 42

    task = runner.start(work(), name="work")
    assert runner.is_running("work")
    qtbot.waitUntil(task.done, timeout=2000)
    assert task.result() == 42
    assert not runner.is_running("work")
    assert runner.running() == []


def test_failure_is_reported_once(qloop, qtbot):
    runner = TaskRunner()

    async def boom():
        raise ValueError("broken")

    with qtbot.waitSignal(runner.task_failed, timeout=2000) as blocker:
        runner.start(boom(), name="boom")
    name, error = blocker.args
    assert name == "boom"
    assert isinstance(error, ValueError)


def test_cancel_by_name_is_not_a_failure(qloop, qtbot):
    runner = TaskRunner()
    failures = []
    runner.task_failed.connect(lambda *a: failures.append(a))
    task = runner.start(asyncio.sleep(30), name="slow")
    assert runner.cancel("slow")
    qtbot.waitUntil(task.done, timeout=2000)
    assert task.cancelled()
    assert failures == []
    assert not runner.cancel("slow")


def test_shutdown_cancels_everything_and_refuses_new_work(qloop, qtbot):
    runner = TaskRunner()
    tasks = [runner.start(asyncio.sleep(30), name=f"t{i}") for i in range(3)]
    done = qloop.create_task(runner.shutdown(timeout=2))
    qtbot.waitUntil(done.done, timeout=3000)
    assert all(t.cancelled() for t in tasks)
    coro = asyncio.sleep(0)
    try:
        runner.start(coro, name="late")
    except RuntimeError:
        pass
    else:
        raise AssertionError("a shut-down runner accepted a task")


def test_qloop_teardown_leaves_no_running_loop(qloop):
    assert asyncio.get_event_loop() is qloop
    qloop.create_task(asyncio.sleep(60), name="left-behind")


def test_after_a_qloop_test_plain_asyncio_still_works():
    # Runs after the tests above: no running-loop marker may be left behind.
    assert asyncio.run(asyncio.sleep(0, result="ok")) == "ok"
