"""A QR code of the playback URL, to open the stream on a phone; shown large on click.

Only for https URLs: a phone cannot reach a loopback address (the demo's 127.0.0.1), so for
one the row says so instead of drawing a code that leads nowhere.
"""

from __future__ import annotations

import io
from urllib.parse import urlsplit

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.validation import is_loopback_host

THUMBNAIL_PX = 56
LARGE_PX = 480
# Medium error correction: readable from a screen at an angle, still a small symbol.
ERROR_LEVEL = "m"
QUIET_ZONE_MODULES = 4


def qr_image(url: str, size_px: int) -> QImage:
    """The code as a black-on-white image of at least size_px, in whole pixels per module."""
    import segno  # lazy: only when a code is drawn

    code = segno.make(url, error=ERROR_LEVEL, micro=False)
    modules = code.symbol_size(scale=1, border=QUIET_ZONE_MODULES)[0]
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=max(1, -(-size_px // modules)), border=QUIET_ZONE_MODULES)
    image = QImage()
    # loadFromData, not fromData: PySide6's fromData is declared to take the format as bytes
    # but refuses them at run time.
    image.loadFromData(buffer.getvalue(), "PNG")
    return image


def why_no_code(url: str) -> str | None:
    """None when the URL deserves a code, else why not, in words."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.hostname and is_loopback_host(parts.hostname):
        return (
            "No QR code: this playback URL points at this computer "
            f"({parts.hostname}), which a phone cannot reach."
        )
    return "No QR code: only https:// playback URLs can be opened on a phone."


class QrCodeDialog(QDialog):
    def __init__(self, url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open on your phone")
        self.setAccessibleName("QR code of the playback URL")
        self.image = qr_image(url, LARGE_PX)
        picture = QLabel(self)
        picture.setPixmap(QPixmap.fromImage(self.image))
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        picture.setAccessibleName("QR code")
        picture.setAccessibleDescription(url)
        caption = QLabel("Scan with your phone's camera to watch the stream.", self)
        caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        address = QLabel(url, self)
        address.setWordWrap(True)
        address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        address.setAlignment(Qt.AlignmentFlag.AlignCenter)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(picture)
        column.addWidget(caption)
        column.addWidget(address)
        column.addWidget(buttons)


class QrCodeRow(QWidget):
    """A small code beside a sentence; a click shows it large."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.url = ""
        self.dialog: QrCodeDialog | None = None
        self.button = QToolButton(self)
        self.button.setIconSize(QSize(THUMBNAIL_PX, THUMBNAIL_PX))
        self.button.setAccessibleName("Show the QR code of the playback URL")
        self.button.setToolTip("Shows the QR code large, to open the stream on a phone.")
        self.button.clicked.connect(self.show_large)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setAccessibleName("QR code")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.button)
        row.addWidget(self.label, 1)
        self.set_url("")

    def set_url(self, url: str) -> None:
        self.url = url
        reason = why_no_code(url) if url else "A QR code of the playback URL appears here."
        self.button.setVisible(reason is None)
        if reason is None:
            self.button.setIcon(QIcon(QPixmap.fromImage(qr_image(url, THUMBNAIL_PX))))
            self.label.setText("Watch on your phone: click the code to show it large.")
        else:
            self.button.setIcon(QIcon())
            self.label.setText(reason)

    def show_large(self) -> None:
        if not self.url or why_no_code(self.url) is not None:
            return
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = QrCodeDialog(self.url, self.window())
        self.dialog.show()
