import json
from datetime import UTC, datetime

import pytest

from app.core.envelope import parse_response, parse_retry_after
from app.core.errors import (
    AuthError,
    AuthProblem,
    InvalidInputError,
    InvalidResponseError,
    NotFoundError,
    RateLimitedError,
    ServerError,
)

NOT_FOUND = "no such app"


def parse(status, body, headers=None):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return parse_response(status, headers or {}, raw, not_found_message=NOT_FOUND)


def test_realtimekit_success_uses_data_and_top_level_paging():
    payload = parse(200, {"success": True, "data": [1], "paging": {"total_count": 1}})
    assert payload.data == [1]
    assert payload.paging == {"total_count": 1}


def test_v4_success_uses_result():
    assert parse(200, {"success": True, "result": {"status": "active"}}).data == {
        "status": "active"
    }


def test_paging_inside_data_object():
    payload = parse(200, {"success": True, "data": {"id": "x", "paging": {"total_count": 3}}})
    assert payload.paging == {"total_count": 3}


def test_unknown_fields_are_ignored():
    assert parse(201, {"success": True, "data": {"a": 1}, "surprise": [1, 2]}).data == {"a": 1}


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        (10000, AuthProblem.INVALID_TOKEN),
        (9109, AuthProblem.INVALID_TOKEN),
        (9106, AuthProblem.MISSING_TOKEN),
        (6003, AuthProblem.INVALID_TOKEN),
        (6111, AuthProblem.INVALID_TOKEN),
        (1000, AuthProblem.INVALID_TOKEN),
    ],
)
@pytest.mark.parametrize("status", [400, 401, 403])
def test_auth_classified_by_code_whatever_the_status(code, problem, status):
    body = {
        "success": False,
        "errors": [{"code": code, "message": "Authentication error"}],
        "messages": [],
        "result": None,
    }
    with pytest.raises(AuthError) as caught:
        parse(status, body)
    assert caught.value.problem is problem
    assert caught.value.code == code


def test_realtimekit_error_object_404_is_not_found():
    with pytest.raises(NotFoundError, match=NOT_FOUND):
        parse(404, {"success": False, "error": {"code": 404, "message": "App not found"}})


def test_no_route_code_is_not_found_even_on_400():
    with pytest.raises(NotFoundError):
        parse(400, {"success": False, "errors": [{"code": 7003, "message": "No route"}]})


def test_rate_limit_carries_retry_after():
    with pytest.raises(RateLimitedError) as caught:
        parse(
            429,
            {"success": False, "errors": [{"code": 971, "message": "slow down"}]},
            {"retry-after": "42"},
        )
    assert caught.value.retry_after == 42
    assert "42 s" in str(caught.value)


@pytest.mark.parametrize("body", [b"<html><body>502 Bad Gateway</body></html>", b"oops", b""])
def test_html_or_text_5xx_is_server_error(body):
    with pytest.raises(ServerError) as caught:
        parse(502, body)
    assert caught.value.status == 502


def test_malformed_json_on_success_is_unreadable_invalid_response():
    with pytest.raises(InvalidResponseError) as caught:
        parse(201, b'{"success": true, "data": {"id": ')
    assert caught.value.unreadable


def test_success_false_on_200_is_an_error():
    with pytest.raises(InvalidResponseError):
        parse(200, {"success": False, "error": "something"})


def test_other_4xx_reports_server_message():
    with pytest.raises(InvalidInputError, match="name must match"):
        parse(422, {"success": False, "error": {"code": 422, "message": "name must match"}})


def test_error_as_plain_string():
    with pytest.raises(InvalidInputError, match="bad thing"):
        parse(400, {"success": False, "error": "bad thing"})


def test_retry_after_http_date():
    now = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Sat, 28 Nov 2026 12:00:30 GMT", now=now) == 30
    assert parse_retry_after("garbage") is None
    assert parse_retry_after(None) is None
