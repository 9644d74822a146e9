"""Demo mode: the local emulator in this process, and the form pre-filled for it."""

from __future__ import annotations

from app.ui.context import DemoDefaults

# Long enough to read the "Created" state, short enough to see it go live.
DEMO_LIVE_AFTER_S = 8.0
DEMO_STREAM_NAME = "demo-stream"


class DemoSession:
    def __init__(self, live_after: float = DEMO_LIVE_AFTER_S) -> None:
        from app.emulator import Emulator

        self._emulator = Emulator(port=0, live_after=live_after)

    @property
    def emulator(self):
        return self._emulator

    @property
    def base_url(self) -> str:
        return self._emulator.base_url

    @staticmethod
    def defaults() -> DemoDefaults:
        from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID, DEMO_APP_NAME, DEMO_TOKEN

        return DemoDefaults(
            DEMO_ACCOUNT_ID, DEMO_APP_ID, DEMO_STREAM_NAME, DEMO_TOKEN, app_name=DEMO_APP_NAME
        )

    def start_now(self) -> None:
        """Before the event loop runs: binding a loopback socket, starting a thread and
        seeding the demo's past sessions take about a millisecond."""
        from app.emulator.demo import seed_demo_history

        self._emulator.start()
        seed_demo_history(self._emulator)

    async def start(self) -> None:
        import asyncio  # here, not above: demo mode paints its window before asyncio loads

        # Binding a socket and starting its thread: off the GUI thread all the same.
        await asyncio.to_thread(self.start_now)

    async def stop(self) -> None:
        import asyncio

        await asyncio.to_thread(self._emulator.stop)
