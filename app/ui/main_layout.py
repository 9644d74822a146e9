"""How the main window is laid out, its menus, and the order Tab follows through it.

The form, the livestream and the recent list scroll in one column when the window is short
(a 1920x1080 screen at 200 % leaves 960x540); the preview sits beside the column, or below it
on a narrow screen (`window_fit`).
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from PySide6 import QtCore  # its Qt namespace on first use: see app.ui.qt_by_name
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QFrame, QMenu, QScrollArea, QSplitter, QVBoxLayout, QWidget

from app import about
from app.ui.preview.options import add_preview_options
from app.ui.preview_slot import PreviewSlot
from app.ui.qt_by_name import set_by_name
from app.ui.widgets.banner import Banner
from app.ui.widgets.credentials_form import CredentialsForm
from app.ui.widgets.recent_list import RecentLivestreamsWidget
from app.ui.widgets.result_panel import ResultPanel

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

DEFAULT_SIZE = (1120, 760)
PREVIEW_MIN_WIDTH = 420
COLUMN_MIN_WIDTH = 480
# The form gets the larger share: its fields hold long IDs and URLs.
DEFAULT_SPLIT = (620, 480)
CLIPBOARD_CHOICES_S = (15, 30, 60, 120, 0)
DEMO_TITLE = "Demo mode: nothing is sent to Cloudflare"
DEMO_TEXT = (
    "A local emulator answers instead, and each livestream you create plays a test pattern "
    "a few seconds later."
)


class WindowParts:
    """What build_layout() and build_menus() make on the window, declared for type checkers."""

    demo_banner: Banner
    error_banner: Banner
    form: CredentialsForm
    result: ResultPanel
    recent: RecentLivestreamsWidget
    preview_slot: PreviewSlot
    splitter: QSplitter
    options_menu: QMenu
    clipboard_actions: dict[int, QAction]


def build_layout(window: MainWindow) -> None:
    # Qt adds the application name to the title: " — Livestream Companion".
    window.setWindowTitle("Demo mode" if window._demo else about.DISPLAY_NAME)
    window.demo_banner = Banner(window, closable=False)
    window.error_banner = Banner(window)
    window.form = CredentialsForm(window)
    window.result = ResultPanel(window)
    window.recent = RecentLivestreamsWidget(window)
    window.preview_slot = PreviewSlot(window)
    # Room for the preview's own controls (sound, external player, detach).
    window.preview_slot.setMinimumWidth(PREVIEW_MIN_WIDTH)

    column = QWidget(window)
    stack = QVBoxLayout(column)
    stack.setContentsMargins(0, 0, 6, 0)
    stack.addWidget(window.form)
    stack.addWidget(window.result)
    stack.addWidget(window.recent, 1)
    scroll = QScrollArea(window)
    scroll.setWidget(column)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    set_by_name(scroll, "horizontalScrollBarPolicy", "ScrollBarAlwaysOff")
    scroll.setMinimumWidth(COLUMN_MIN_WIDTH)

    # By keyword: a positional parent is first tried as a Qt.Orientation (see qt_by_name).
    window.splitter = splitter = QSplitter(parent=window)  # side by side; `window_fit` may stack
    splitter.setChildrenCollapsible(False)
    splitter.addWidget(scroll)
    splitter.addWidget(window.preview_slot)
    splitter.setStretchFactor(0, 3)
    splitter.setStretchFactor(1, 2)

    central = QWidget(window)
    outer = QVBoxLayout(central)
    outer.setContentsMargins(10, 8, 10, 4)
    outer.addWidget(window.demo_banner)
    outer.addWidget(window.error_banner)
    outer.addWidget(splitter, 1)
    window.setCentralWidget(central)
    window.statusBar()
    window.resize(*DEFAULT_SIZE)
    splitter.setSizes(list(DEFAULT_SPLIT))


def show_notice(window: MainWindow) -> None:
    """The banner above the form: demo mode, or an API base that is not Cloudflare's."""
    base = window._context.api_base_url
    if window._demo:
        window.demo_banner.show_message("demo", DEMO_TITLE, DEMO_TEXT, accent="info")
    elif window._service != "Cloudflare" and base:
        # Requests and the token go elsewhere: the streamer must be able to see where.
        window.demo_banner.show_message(
            "api_base",
            f"Using the API at {base}",
            "Not Cloudflare's: requests and your token go to this address "
            "(set by --api-base-url or CLOUDFLARE_API_BASE_URL).",
            accent="warning",
        )


def build_menus(window: MainWindow) -> QMenu:
    """File and Options; returns the View menu, whose items come with the sessions feature."""
    file_menu = window.menuBar().addMenu("&File")
    quit_action = QAction("&Quit", window)
    quit_action.setShortcuts(QKeySequence.StandardKey.Quit)  # not setShortcut: see qt_by_name
    quit_action.triggered.connect(window.close)
    file_menu.addAction(quit_action)

    options = window.options_menu = window.menuBar().addMenu("&Options")
    clear_menu = options.addMenu("&Clear copied stream key after")
    group = QActionGroup(window)
    window.clipboard_actions = {}
    for seconds in CLIPBOARD_CHOICES_S:
        action = QAction(f"{seconds} seconds" if seconds else "Only when quitting", window)
        action.setCheckable(True)
        action.setChecked(seconds == window.clipboard.clear_after_s)
        action.triggered.connect(lambda _=False, s=seconds: window.on_clipboard_time_chosen(s))
        group.addAction(action)
        clear_menu.addAction(action)
        window.clipboard_actions[seconds] = action
    add_preview_options(options, window.app_settings, window.preview_slot)
    # Its title shows from the first paint; its items follow right after (finish_building).
    return window.menuBar().addMenu("&View")


def reading_order(window: MainWindow) -> list[QWidget]:
    """Tab's order: the form, your livestream (Show before Copy), Send to OBS, Recent, then
    the preview's controls."""
    form = window.form
    order: list[QWidget] = [
        form.account_edit,
        form.app_combo,
        form.load_apps_button,
        form.name_edit,
        form.token_edit,
        form.save_token_button,
        form.forget_token_button,
        form.cancel_button,
        form.create_button,
    ]
    for field in window.result.fields():
        order.append(field.line_edit)
        if field.show_button is not None:
            order.append(field.show_button)
        order.append(field.copy_button)
    if window.obs_row is not None:
        order.extend(_focusable_children(window.obs_row))
    order += [window.recent.refresh_button, window.recent.list]
    panel = window.preview_slot.panel
    if panel is not None:
        order += [
            panel.retry_button,
            panel.mute_button,
            panel.volume_slider,
            panel.external_button,
            panel.detach_button,
        ]
    return order


def set_reading_order(window: MainWindow) -> None:
    order = reading_order(window)
    for before, after in itertools.pairwise(order):
        QWidget.setTabOrder(before, after)


def _focusable_children(widget: QWidget) -> list[QWidget]:
    """Its controls that take Tab focus, in the order they were made (their reading order)."""
    return [
        child
        for child in widget.findChildren(QWidget)
        if child.focusPolicy() & QtCore.Qt.FocusPolicy.TabFocus
    ]
