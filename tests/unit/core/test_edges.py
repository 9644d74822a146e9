"""Values from the network and from the user, at the edges: hand-picked cases and properties."""

from __future__ import annotations

import json
import math
import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.envelope import MAX_RETRY_AFTER, parse_response, parse_retry_after
from app.core.errors import CompanionError, InvalidInputError, InvalidResponseError
from app.core.obs_settings import parse_obs_url
from app.core.parsing import parse_livestream, parse_livestream_page
from app.core.safe_text import has_unsafe_characters, safe_text
from app.core.validation import (
    TOKEN_MAX_LENGTH,
    check_ingest_server,
    validate_api_base_url,
    validate_page,
    validate_seconds,
    validate_status,
    validate_token,
)

EXIT_CODES = {3, 4, 5, 6, 8, 9}
TOKEN = "AbCdEf0123456789_-AbCdEf0123456789abcdef"
LIVESTREAM = {
    "id": "id-1",
    "name": "show",
    "ingest_server": "rtmps://live.cloudflare.com:443/live/",
    "stream_key": "key-0123456789abcdef",
    "playback_url": "https://customer-x.cloudflarestream.com/a/manifest/video.m3u8",
    "status": "LIVE",
}

# --- safe text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[2J", "\\x1b[2J"),
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
        ("a\rb\x08\tc\n", "a\\rb\\x08\\tc\\n"),
        ("\x7f\x9b", "\\x7f\\x9b"),
        ("abc\u202eexe.txt", "abc\\u202eexe.txt"),
        ("\u2066x\u2069", "\\u2066x\\u2069"),
        ("Ünïcode — fine ✓", "Ünïcode — fine ✓"),
    ],
)
def test_safe_text_shows_control_as_visible_escapes(raw, shown):
    assert safe_text(raw) == shown


@given(st.text())
@settings(max_examples=200)
def test_safe_text_leaves_nothing_unsafe_and_is_stable(text):
    shown = safe_text(text)
    assert not has_unsafe_characters(shown)
    assert safe_text(shown) == shown
    if not has_unsafe_characters(text):
        assert shown == text


# --- tokens ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [TOKEN, f"  {TOKEN}\n", f"{TOKEN}\u200b", f"\ufeff{TOKEN}\u200d \u2060", f"\t{TOKEN}\r\n"],
)
def test_token_padding_is_dropped(raw):
    assert validate_token(raw) == TOKEN


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        ("", "empty"),
        ("\u200b \u200b", "empty"),
        (TOKEN[:10] + " " + TOKEN[10:], "one word"),
        (TOKEN + "\x00", "control character (at position 41)"),
        ("\x1b" + TOKEN, "control character (at position 1)"),
        (TOKEN[:5] + "\x07" + TOKEN[5:], "control character (at position 6)"),
        (TOKEN[:5] + "\u200b" + TOKEN[5:], "control character (at position 6)"),
        (TOKEN + "é", "not plain ASCII (at position 41)"),
        ("A" * (TOKEN_MAX_LENGTH + 1), "too long"),
    ],
)
def test_token_problems_are_named(raw, named):
    with pytest.raises(InvalidInputError, match=re.escape(named)) as caught:
        validate_token(raw)
    assert caught.value.exit_code == 3
    assert caught.value.field == "token"


@given(st.text(max_size=300))
@settings(max_examples=300)
def test_a_token_either_is_sendable_in_a_header_or_is_refused(raw):
    try:
        token = validate_token(raw)
    except InvalidInputError as error:
        assert error.exit_code == 3
        return
    assert 1 <= len(token) <= TOKEN_MAX_LENGTH
    assert set(token) <= set(string.printable) - set(string.whitespace)
    token.encode("ascii")  # what httpx does with the header


# --- numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [("inf", MAX_RETRY_AFTER), ("1e23", MAX_RETRY_AFTER), ("-inf", 0.0), ("-5", 0.0)],
)
def test_retry_after_is_clamped(header, expected):
    assert parse_retry_after(header) == expected


@pytest.mark.parametrize("header", ["nan", "-nan", "soon", "Mon, 99 Foo 99999 99:99:99 GMT"])
def test_retry_after_that_is_no_number_is_ignored(header):
    assert parse_retry_after(header) is None


@given(st.text(max_size=60))
@settings(max_examples=200)
def test_retry_after_is_always_finite_or_none(header):
    wait = parse_retry_after(header)
    assert wait is None or (math.isfinite(wait) and 0 <= wait <= MAX_RETRY_AFTER)


def test_rate_limit_message_has_a_readable_wait():
    error = parse_error(429, {"retry-after": "1e23"}, b"{}")
    assert "24 hours" in error.message


@pytest.mark.parametrize(("page", "per_page"), [(0, 25), (-5, 25), (1, 0), (1, 101), (10**9, 25)])
def test_paging_outside_its_range_is_refused(page, per_page):
    with pytest.raises(InvalidInputError):
        validate_page(page, per_page)


def test_paging_edges_are_accepted():
    assert validate_page(1, 1) == (1, 1)
    assert validate_page(100_000, 100) == (100_000, 100)


@pytest.mark.parametrize(("raw", "status"), [("live", "LIVE"), (" Idle ", "IDLE"), ("", None)])
def test_status_is_one_of_four_in_any_case(raw, status):
    assert validate_status(raw) == status


@pytest.mark.parametrize("raw", ["OFFLINE", "LIVE,IDLE", "x" * 100_000, "live\x1b"])
def test_other_statuses_are_refused(raw):
    with pytest.raises(InvalidInputError, match="one of INVOKED, IDLE, LIVE, ERRORED"):
        validate_status(raw)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 0.0, -1.0])
def test_seconds_must_be_finite_and_positive(value):
    with pytest.raises(InvalidInputError, match="positive number of seconds"):
        validate_seconds(value, "--check")


# --- server addresses typed by the user ------------------------------------------------


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://user:pw@api.example.test/client/v4", "user name or password"),
        ("https://api.example.test/client/v4?x=1", "query"),
        ("https://api.example.test/client/v4#frag", "fragment"),
        ("https://api.example.test:99999/client/v4", "port"),
        ("https://api.example.test:0/client/v4", "port"),
        ("https://api.example.test:abc/client/v4", "port"),
        ("https://xn--a.example/client/v4", "host name that is not valid"),
        ("https://" + "a" * 10_000 + "/client/v4", "host name of at most"),
        ("https://api.exa\x1bmple.test", "control"),
    ],
)
def test_api_base_url_refuses_what_changes_its_meaning(url, problem):
    with pytest.raises(InvalidInputError, match=problem) as caught:
        validate_api_base_url(url)
    assert caught.value.exit_code == 3


def test_api_base_url_accepts_cloudflare_and_loopback():
    assert validate_api_base_url("https://api.cloudflare.com/client/v4/") == (
        "https://api.cloudflare.com/client/v4"
    )
    assert validate_api_base_url("http://127.0.0.1:8080/client/v4")
    assert validate_api_base_url("http://[::1]:8080")


@pytest.mark.parametrize(
    "url",
    [
        "ws://127.0.0.1:0",
        "ws://127.0.0.1:70000",
        "ws://user:pw@127.0.0.1:4455",
        "ws://127.0.0.1:4455/path",
        "ws://127.0.0.1:4455?x=1",
        "ws://127.0.0.1:4455#x",
        "ws://" + "h" * 10_000 + ":4455",
        "wss://127.0.0.1:4455",
    ],
)
def test_obs_url_refuses_odd_addresses(url):
    with pytest.raises(InvalidInputError) as caught:
        parse_obs_url(url)
    assert caught.value.exit_code == 3


def test_obs_url_default_port_only_when_none_is_given():
    assert parse_obs_url("ws://127.0.0.1") == ("127.0.0.1", 4455)
    assert parse_obs_url("192.168.1.5:4456") == ("192.168.1.5", 4456)


@given(st.text(max_size=80))
@settings(max_examples=200)
def test_any_typed_address_is_accepted_or_refused_with_exit_3(text):
    for check in (validate_api_base_url, parse_obs_url):
        try:
            check(text)
        except InvalidInputError as error:
            assert error.exit_code == 3


# --- values handed to the clipboard, OBS and the player --------------------------------


@pytest.mark.parametrize("field", ["ingest_server", "stream_key", "playback_url"])
@pytest.mark.parametrize("bad", ["\x1b[2J", "\u202e", " ", "\n", "\x00", "\u200b", "\x85"])
def test_delivered_values_with_control_or_space_are_refused(field, bad):
    obj = {**LIVESTREAM, field: LIVESTREAM[field] + bad}
    with pytest.raises(InvalidResponseError) as caught:
        parse_livestream(obj)
    assert caught.value.exit_code == 9


def test_ingest_server_with_escape_in_its_path_is_refused():
    with pytest.raises(InvalidResponseError):
        check_ingest_server("rtmp://host/\x1b[2J")


def test_a_list_leaves_out_livestreams_with_unsafe_values():
    bad = {**LIVESTREAM, "id": "id-2", "stream_key": "key\x07-0123456789"}
    page = parse_livestream_page([LIVESTREAM, bad], None)
    assert [s.id for s in page.livestreams] == ["id-1"]


# --- the envelope ----------------------------------------------------------------------


def parse_error(status, headers, body) -> CompanionError:
    with pytest.raises(CompanionError) as caught:
        parse_response(status, headers, body, not_found_message="gone")
    return caught.value


def test_server_error_text_is_escaped():
    body = json.dumps({"success": False, "errors": [{"message": "bad\x1b[2J\u202e"}]})
    error = parse_error(400, {}, body.encode())
    assert not has_unsafe_characters(error.message)
    assert "bad\\x1b[2J\\u202e" in error.message


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)


@given(
    status=st.sampled_from([200, 201, 204, 302, 400, 401, 403, 404, 429, 500, 502, 503]),
    document=json_values,
    retry_after=st.none() | st.text(max_size=20),
)
@settings(max_examples=300)
def test_any_answer_gives_data_or_a_documented_error(status, document, retry_after):
    headers = {} if retry_after is None else {"retry-after": retry_after}
    body = json.dumps(document).encode()
    try:
        payload = parse_response(status, headers, body, not_found_message="gone")
    except CompanionError as error:
        assert error.exit_code in EXIT_CODES
        assert not has_unsafe_characters(error.message)
        return
    try:
        parse_livestream_page(payload.data, payload.paging)
    except CompanionError as error:
        assert error.exit_code in EXIT_CODES


@given(st.binary(max_size=200))
@settings(max_examples=200)
def test_any_bytes_give_data_or_a_documented_error(body):
    try:
        parse_response(200, {}, body, not_found_message="gone")
    except CompanionError as error:
        assert error.exit_code in EXIT_CODES
