"""Opens the real window on the current display and reports, as JSON, whether it fits.

    PYTHONPATH=. python tests/integration/ui/layout_probe.py SETTINGS.ini

Run in a process of its own (QT_SCALE_FACTOR must be set before Qt starts): the demo window
against the emulator, with the error banner and an inline field error showing, measured at
its minimum size, at 960x540 logical pixels (if the screen allows) and at its opening size.
For each, every visible label must have room for its text, and every field and button
its minimum height.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget

from app.core.errors import AuthError, AuthProblem
from app.emulator import Emulator
from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID, DEMO_TOKEN
from app.ui.bootstrap import create_application, create_event_loop
from app.ui.context import AppContext, DemoDefaults
from app.ui.settings import AppSettings

SETTLE_S = 0.5
LONG_TOKEN_ERROR = (
    "Cloudflare rejected the API token. Create one at dash.cloudflare.com \u2192 My Profile "
    "\u2192 API Tokens with the Realtime Admin permission for this account."
)


def clipped(window: QWidget) -> list[str]:
    """The visible labels, fields and buttons that do not have the room their content needs."""
    problems = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.width() <= 0:
            continue
        if isinstance(widget, QLabel) and widget.text():
            if widget.wordWrap():
                needed = QSize(0, widget.heightForWidth(widget.width()))
            else:
                needed = widget.minimumSizeHint()
        elif isinstance(widget, QLineEdit | QAbstractButton):
            needed = QSize(0, widget.minimumSizeHint().height())
        else:
            continue
        if widget.width() < needed.width() or widget.height() < needed.height():
            name = widget.accessibleName() or (widget.text() if hasattr(widget, "text") else "")
            problems.append(
                f"{type(widget).__name__} {name[:40]!r}: {widget.width()}x{widget.height()}"
                f" < {needed.width()}x{needed.height()}"
            )
    return problems


async def measure(settings_path: str) -> dict:
    from app.core.client import RealtimeKitClient, make_http_client
    from app.ui.main_window import MainWindow

    emulator = Emulator(live_after=0.5).start()
    http = make_http_client()
    report: dict = {}
    try:
        context = AppContext(
            client_factory=lambda token: RealtimeKitClient(http, token, base_url=emulator.base_url),
            settings=AppSettings.at_path(Path(settings_path)),
            demo=DemoDefaults(DEMO_ACCOUNT_ID, DEMO_APP_ID, "layout", DEMO_TOKEN),
            http_factory=lambda: http,
            api_base_url=emulator.base_url,
        )
        window = MainWindow(context)
        window.show()
        window.start()
        await asyncio.sleep(SETTLE_S * 2)
        area = window.screen().availableGeometry()
        frame = window.frameGeometry()
        report["available"] = [area.width(), area.height()]
        report["opened"] = [frame.x(), frame.y(), frame.width(), frame.height()]
        report["opened_fits"] = area.contains(frame)
        report["orientation"] = window.splitter.orientation().name

        # The worst case: the error banner and an inline error under the account ID.
        window.show_error(AuthError(AuthProblem.INVALID_TOKEN, LONG_TOKEN_ERROR))
        window.form.account_edit.setText("not-an-account-id")
        window.form._on_edited("account_id")
        minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
        report["minimum"] = [minimum.width(), minimum.height()]
        sizes = {"minimum": minimum, "opened": frame.size()}
        if area.width() >= 960 and area.height() >= 540:
            sizes["960x540"] = QSize(960, 540)
        report["clipped"] = {}
        for name, size in sizes.items():
            window.resize(size)
            await asyncio.sleep(SETTLE_S)
            report["clipped"][name] = clipped(window)
            report[f"size_{name}"] = [window.width(), window.height()]
        window.close()
        await asyncio.sleep(SETTLE_S)
    finally:
        await http.aclose()
        emulator.stop()
    return report


def main() -> int:
    app = create_application()
    loop = create_event_loop(app)
    with asyncio.Runner(loop_factory=lambda: loop) as runner:
        report = runner.run(measure(sys.argv[1]))
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
