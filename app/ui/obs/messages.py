"""OBS failures in the user's words: a headline per kind over the core's actionable message."""

from __future__ import annotations

from app.core.errors import CompanionError
from app.core.obs_errors import (
    ObsAuthError,
    ObsLiveError,
    ObsNotReachableError,
    ObsTargetChangedError,
    ObsTimeoutError,
    ObsVerifyError,
    ObsVersionError,
)
from app.ui.error_text import ErrorText, describe

_TITLES: tuple[tuple[type[CompanionError], str, str], ...] = (
    (ObsNotReachableError, "obs_not_reachable", "OBS is not reachable"),
    (ObsAuthError, "obs_auth", "OBS did not accept the password"),
    (ObsVersionError, "obs_too_old", "This OBS is too old"),
    (ObsTimeoutError, "obs_timeout", "OBS did not answer"),
    (ObsLiveError, "obs_live", "OBS is live"),
    (ObsVerifyError, "obs_verify", "OBS did not keep the settings"),
    (ObsTargetChangedError, "obs_target_changed", "OBS points elsewhere now"),
)


def describe_obs_error(error: CompanionError) -> ErrorText:
    for error_type, kind, title in _TITLES:
        if isinstance(error, error_type):
            field = "obs_password" if isinstance(error, ObsAuthError) else None
            return ErrorText(kind, title, error.message, field=field)
    text = describe(error)
    if text.kind == "error":  # the generic words: say where it came from
        return ErrorText("obs", "Send to OBS failed", error.message, field=text.field)
    return text
