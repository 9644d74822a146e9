"""Tracks every coroutine the window starts: nothing runs fire-and-forget.

Each task stays referenced until it ends (so it cannot be garbage-collected
mid-flight), can be cancelled by name or all at once on close, and an
unexpected failure is reported through `task_failed` instead of vanishing into
"Task exception was never retrieved".
"""

from __future__ import annotations

import logging
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    import asyncio

log = logging.getLogger(__name__)


class TaskRunner(QObject):
    # (task name, the exception)
    task_failed = Signal(str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks: set[asyncio.Task] = set()
        self._closed = False

    def start(self, coro: Coroutine[Any, Any, Any], *, name: str) -> asyncio.Task:
        if self._closed:
            coro.close()
            raise RuntimeError("the task runner is shut down")
        import asyncio  # here, not above: the window paints before asyncio loads

        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._on_task_done)
        return task

    def is_running(self, name: str) -> bool:
        return any(t.get_name() == name and not t.done() for t in self._tasks)

    def running(self) -> list[asyncio.Task]:
        return [t for t in self._tasks if not t.done()]

    def cancel(self, name: str) -> bool:
        """Cancels the running tasks of that name; True if there was one."""
        found = False
        for task in self.running():
            if task.get_name() == name:
                task.cancel()
                found = True
        return found

    async def shutdown(self, timeout: float = 5.0) -> None:
        """Cancels everything still running and waits (bounded) until it has ended."""
        self._closed = True
        pending = self.running()
        for task in pending:
            task.cancel()
        if pending:
            import asyncio

            _done, still = await asyncio.wait(pending, timeout=timeout)
            for task in still:
                log.warning(
                    "task %s did not end within %.1f s of cancellation", task.get_name(), timeout
                )

    def _on_task_done(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            log.error("task %s failed", task.get_name(), exc_info=error)
            self.task_failed.emit(task.get_name(), error)
