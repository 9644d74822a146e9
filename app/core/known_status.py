"""The livestream statuses Cloudflare documents, on their own: validation and the window's
wording use them without loading the API's result types."""

from __future__ import annotations

import enum


class KnownStatus(enum.StrEnum):
    """The livestream statuses Cloudflare documents; others (e.g. OFFLINE) also occur."""

    INVOKED = "INVOKED"
    IDLE = "IDLE"
    LIVE = "LIVE"
    ERRORED = "ERRORED"
