"""Edges that mutation testing showed unpinned: exact limits, the field each error names (the
form highlights that field), and the retry policy's boundaries."""

from __future__ import annotations

import pytest
from tenacity import RetryCallState

from app.core.errors import InvalidInputError, InvalidResponseError, RateLimitedError
from app.core.retry import RetryPolicy, _BackoffWait, is_transient
from app.core.validation import (
    NAME_MAX_LENGTH,
    check_ingest_server,
    is_loopback_host,
    is_safe_http_url,
    validate_account_id,
    validate_api_base_url,
    validate_app_id,
    validate_livestream_id,
    validate_stream_name,
    validate_token,
)


@pytest.mark.parametrize(
    ("validate", "bad", "field"),
    [
        (validate_account_id, "", "account_id"),
        (validate_account_id, "xyz", "account_id"),
        (validate_app_id, "", "app_id"),
        (validate_app_id, "bad/app", "app_id"),
        (validate_stream_name, "has space", "name"),
        (validate_stream_name, "n" * (NAME_MAX_LENGTH + 1), "name"),
        (validate_token, "", "token"),
        (validate_livestream_id, "", "livestream_id"),
        (validate_api_base_url, "ftp://example.test", "api_base_url"),
    ],
)
def test_each_error_names_its_field_and_says_something(validate, bad, field) -> None:
    with pytest.raises(InvalidInputError) as refused:
        validate(bad)
    assert refused.value.field == field
    assert refused.value.message.strip()


def test_a_name_of_exactly_the_limit_is_accepted() -> None:
    name = "n" * NAME_MAX_LENGTH
    assert validate_stream_name(name) == name


@pytest.mark.parametrize("host", [None, "", "example.test", "10.0.0.1", "::2"])
def test_what_is_not_loopback(host) -> None:
    assert is_loopback_host(host) is False


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST", "127.0.0.1", "127.8.9.10", "::1"])
def test_what_is_loopback(host) -> None:
    assert is_loopback_host(host) is True


@pytest.mark.parametrize(
    "url",
    ["", "https://", "http://example.test/x", "ftp://127.0.0.1/", "https://a b.test/", "http://[::1"],
)
def test_unsafe_urls(url) -> None:
    assert is_safe_http_url(url) is False


def test_base_url_loses_its_trailing_slashes() -> None:
    assert validate_api_base_url(" https://api.example.test/v4// ") == "https://api.example.test/v4"


def test_a_retry_after_of_exactly_the_limit_is_still_waited() -> None:
    policy = RetryPolicy(max_retry_after=20.0)
    assert is_transient(RateLimitedError("slow down", retry_after=20.0), policy)
    assert not is_transient(RateLimitedError("slow down", retry_after=20.5), policy)


def waits_at(wait: _BackoffWait, attempt: int, draws: int = 20) -> list[float]:
    state = RetryCallState(retry_object=None, fn=None, args=(), kwargs={})
    for _ in range(attempt - 1):
        state.prepare_for_next_attempt()
    return [wait(state) for _ in range(draws)]


def test_backoff_scales_with_the_base_delay_and_stops_at_the_cap() -> None:
    wait = _BackoffWait(RetryPolicy(base_delay=0.01, max_delay=0.05))
    # Full jitter: the first wait is drawn from [0, base delay], later ones never pass the cap.
    assert all(0 <= seconds <= 0.01 for seconds in waits_at(wait, 1))
    assert all(0 <= seconds <= 0.05 for seconds in waits_at(wait, 30))


@pytest.mark.parametrize("url", ["rtmp://[::1", "rtmps://[bad/live/"])
def test_an_unparsable_ingest_server_is_refused_in_words(url) -> None:
    with pytest.raises(InvalidResponseError, match="not an rtmp://"):
        check_ingest_server(url)
