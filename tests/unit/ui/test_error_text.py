"""Every CompanionError kind has its own words, and a rate limit its wait."""

from __future__ import annotations

import pytest

from app.core import errors as e
from app.ui.error_text import DEFAULT_RATE_LIMIT_WAIT, describe

CASES = [
    (e.InvalidInputError("name", "bad name"), "invalid_input", "name"),
    (e.AuthError(e.AuthProblem.MISSING_TOKEN, "no token"), "missing_token", "token"),
    (e.AuthError(e.AuthProblem.INVALID_TOKEN, "bad token"), "invalid_token", "token"),
    (e.AuthError(e.AuthProblem.MISSING_PERMISSION, "no perm"), "missing_permission", "token"),
    (e.NotFoundError("no app"), "not_found", "app_id"),
    (e.RateLimitedError("slow down", retry_after=12.2), "rate_limited", None),
    (e.NetworkError(e.NetworkProblem.DNS, "offline"), "network", None),
    (e.ServerError("boom", status=502), "server", None),
    (e.CreateUnconfirmedError("maybe"), "create_unconfirmed", None),
    (e.InvalidResponseError("odd"), "invalid_response", None),
    (e.SecretStoreLockedError("locked"), "keyring_locked", None),
    (e.SecretStoreError("broken"), "keyring", None),
    (e.CompanionError("other"), "error", None),
]


@pytest.mark.parametrize(("error", "kind", "field"), CASES, ids=[c[1] for c in CASES])
def test_each_kind_has_a_title_and_keeps_the_message(error, kind, field):
    text = describe(error)
    assert text.kind == kind
    assert text.field == field
    assert text.title and text.title != text.message
    if kind != "rate_limited":
        assert error.message in text.message


def test_every_error_class_is_covered():
    covered = {type(error) for error, _, _ in CASES}
    defined = {
        cls
        for cls in vars(e).values()
        if isinstance(cls, type) and issubclass(cls, e.CompanionError)
    }
    assert defined <= covered


def test_rate_limit_wait_is_rounded_up_and_defaults_when_unknown():
    assert describe(e.RateLimitedError("x", retry_after=12.2)).retry_after == 13
    assert describe(e.RateLimitedError("x", retry_after=0.1)).retry_after == 1
    assert (
        describe(e.RateLimitedError("x", retry_after=None)).retry_after == DEFAULT_RATE_LIMIT_WAIT
    )
