"""The app's use over the last 7, 30 or 90 days: ingest and viewer minutes per day, and totals.

A line per quantity with a point on every day: days without use are zero, never gaps.
"""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtCharts import QChart, QChartView, QDateTimeAxis, QLineSeries, QValueAxis
from PySide6.QtCore import QDateTime, QMargins, QPointF, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.models import UsageReport
from app.core.session_text import duration_text

RANGES = (7, 30, 90)
DEFAULT_DAYS = 30


def day_msecs(day: date) -> int:
    """The chart's x value of a day: its local midnight (in milliseconds since the epoch), as
    the date axis labels in local time and must show the day's own date."""
    return int(datetime.combine(day, time.min).timestamp() * 1000)


def day_of(msecs: float) -> date:
    return datetime.fromtimestamp(msecs / 1000).date()


class UsageDialog(QDialog):
    days_changed = Signal(int)
    refresh_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: UsageReport | None = None
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.setWindowTitle("Usage of this app")
        self.resize(760, 460)
        self.range_combo = QComboBox(self)
        self.range_combo.setAccessibleName("Period")
        for days in RANGES:
            self.range_combo.addItem(f"Last {days} days", days)
        self.range_combo.setCurrentIndex(RANGES.index(DEFAULT_DAYS))
        range_label = QLabel("&Period:", self)
        range_label.setBuddy(self.range_combo)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.totals_label = QLabel(self)
        self.totals_label.setWordWrap(True)
        self.totals_label.setAccessibleName("Totals")
        self.totals_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.ingest_series = QLineSeries(self)
        self.ingest_series.setName("Ingest minutes")
        self.viewer_series = QLineSeries(self)
        self.viewer_series.setName("Viewer minutes")
        chart = QChart()
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.x_axis = QDateTimeAxis()
        self.x_axis.setFormat("dd MMM")
        self.x_axis.setTitleText("Day (UTC)")
        self.y_axis = QValueAxis()
        self.y_axis.setLabelFormat("%.0f")
        self.y_axis.setTitleText("Minutes")
        chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        for series in (self.ingest_series, self.viewer_series):
            series.setPointsVisible(True)
            chart.addSeries(series)
            series.attachAxis(self.x_axis)
            series.attachAxis(self.y_axis)
        self.chart = chart
        self.chart_view = QChartView(chart, self)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setAccessibleName("Ingest and viewer minutes per day")
        self.chart_view.setMinimumHeight(240)

        self.refresh_button = QPushButton("&Refresh", self)
        self.refresh_button.setAccessibleName("Refresh the usage")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ActionRole)
        top = QHBoxLayout()
        top.addWidget(range_label)
        top.addWidget(self.range_combo)
        top.addStretch(1)
        column = QVBoxLayout(self)
        column.addLayout(top)
        column.addWidget(self.totals_label)
        column.addWidget(self.chart_view, 1)
        column.addWidget(self.status_label)
        column.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.rejected.connect(self.reject)
        self.refresh_button.clicked.connect(self.refresh_requested)
        self.range_combo.currentIndexChanged.connect(lambda _i: self.days_changed.emit(self.days))

    @property
    def days(self) -> int:
        return int(self.range_combo.currentData())

    def show_loading(self) -> None:
        self.status_label.setText("Loading\u2026")
        self.refresh_button.setEnabled(False)

    def show_failure(self, text: str) -> None:
        self.status_label.setText(f"Could not load the usage: {text}")
        self.refresh_button.setEnabled(True)

    def show_report(self, report: UsageReport) -> None:
        self.report = report
        # A row without a date has no place on the chart (usage_report keeps such rows in
        # `undated`, for the totals).
        dated = [(day_msecs(d.day), d) for d in report.days if d.day is not None]
        ingest = [(x, (d.ingest_seconds or 0.0) / 60) for x, d in dated]
        viewer = [(x, (d.viewer_seconds or 0.0) / 60) for x, d in dated]
        self.ingest_series.replace([QPointF(x, y) for x, y in ingest])
        self.viewer_series.replace([QPointF(x, y) for x, y in viewer])
        first, last = day_msecs(report.first_day), day_msecs(report.last_day)
        self.x_axis.setRange(_moment(first), _moment(max(last, first + 86_400_000)))
        self.x_axis.setTickCount(min(len(report.days), 8))
        top = max([y for _, y in ingest + viewer] + [1.0])
        self.y_axis.setRange(0, top * 1.1)
        self.y_axis.applyNiceNumbers()
        self.totals_label.setText(_totals_text(report))
        unknown = sum(
            1 for d in report.days if d.ingest_seconds is None or d.viewer_seconds is None
        )
        notes = [f"{report.first_day:%d %b} to {report.last_day:%d %b %Y}, UTC days."]
        if unknown:
            notes.append(f"{unknown} day(s) had a value Cloudflare did not give; drawn as 0.")
        if report.undated:
            notes.append(
                f"{len(report.undated)} row(s) came without a date: in the totals, not the chart."
            )
        self.status_label.setText(" ".join(notes))
        self.refresh_button.setEnabled(True)


def _totals_text(report: UsageReport) -> str:
    totals = report.totals
    count = "an unknown number of" if totals.livestream_count is None else totals.livestream_count
    plural = "" if totals.livestream_count == 1 else "s"
    return (
        f"<b>{count} livestream{plural}</b> \u00b7 ingest "
        f"<b>{duration_text(totals.ingest_seconds)}</b> \u00b7 viewers "
        f"<b>{duration_text(totals.viewer_seconds)}</b>"
    )


def _moment(msecs: int) -> QDateTime:
    return QDateTime.fromMSecsSinceEpoch(msecs)
