"""Odd arguments, environment values and piped input, as real processes: each ends with its
documented exit code and one message naming the problem, before anything is sent."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from app.emulator.demo import DEMO_ACCOUNT_ID, DEMO_APP_ID, DEMO_TOKEN
from tests.fixtures.cli_runs import check_run, command_env, run_all

pytestmark = pytest.mark.integration

IDS = ["--account-id", DEMO_ACCOUNT_ID, "--app-id", DEMO_APP_ID]
MIB = 1024 * 1024


@dataclass(frozen=True)
class Case:
    name: str
    args: list[str]
    exit_code: int
    message: str
    env: dict[str, str] = field(default_factory=dict)
    stdin: bytes | None = None


CASES = [
    Case("page 0", ["list", *IDS, "--page", "0"], 3, "page number"),
    Case("page -5", ["list", *IDS, "--page", "-5"], 3, "page number"),
    Case("per page 1000", ["list", *IDS, "--per-page", "1000"], 3, "Per page"),
    Case("page not a number", ["list", *IDS, "--page", "abc"], 2, "invalid int"),
    Case("status 100k", ["list", *IDS, "--status", "x" * 100_000], 3, "one of"),
    Case("status escape", ["list", *IDS, "--status", "live\x1b[2J"], 3, "one of"),
    *(
        Case(name, ["--api-base-url", url, "apps", *IDS[:2]], 3, message)
        for name, url, message in [
            ("userinfo", "https://u:p@api.example.test", "user"),
            ("fragment", "https://api.example.test/v4#x", "fragment"),
            ("query", "https://api.example.test/v4?a=1", "query"),
            ("bad port", "https://api.example.test:99999", "port"),
            ("IDNA", "https://xn--a.example.test", "host name"),
            ("10k host", "https://" + "h" * 10_000, "host name"),
        ]
    ),
    Case(
        "token with escape",
        ["verify", *IDS[:2]],
        3,
        "CLOUDFLARE_API_TOKEN: The token contains an invisible control character",
        env={"CLOUDFLARE_API_TOKEN": DEMO_TOKEN + "\x1b[2J"},
    ),
    Case(
        "token not ASCII",
        ["verify", *IDS[:2]],
        3,
        "not plain ASCII",
        env={"CLOUDFLARE_API_TOKEN": "é" + DEMO_TOKEN},
    ),
    Case("token set 100 MB", ["token", "set", *IDS[:2]], 3, "too long", stdin=b"a" * 100 * MIB),
    Case(
        "token set not UTF-8",
        ["token", "set", *IDS[:2]],
        3,
        "not plain ASCII",
        stdin=b"\xff\xfe" * 20,
    ),
    Case(
        "token set NUL", ["token", "set", *IDS[:2]], 3, "control character", stdin=b"abc\x00def" * 5
    ),
    *(
        Case(
            name, ["obs-send", *IDS, "--livestream-id", "x"], 3, message, {"OBS_WEBSOCKET_URL": url}
        )
        for name, url, message in [
            ("OBS port 0", "ws://127.0.0.1:0", "port"),
            ("OBS 10k host", "ws://" + "h" * 10_000 + ":4455", "host name"),
            ("OBS path", "ws://127.0.0.1:4455/x", "no path"),
        ]
    ),
    Case(
        "check nan", ["preview", "https://x.example.test/v.m3u8", "--check", "nan"], 3, "positive"
    ),
    Case(
        "check inf", ["preview", "https://x.example.test/v.m3u8", "--check", "inf"], 3, "positive"
    ),
    Case("live-after nan", ["emulator", "--live-after", "nan"], 2, "--live-after"),
    Case("live-after inf", ["emulator", "--live-after", "inf"], 2, "--live-after"),
]


def test_odd_input_ends_with_its_exit_code_and_one_message(emulator):
    """Every case is checked and the table's failures reported together."""
    env = command_env(emulator.base_url)
    runs = {}
    for case in CASES:
        runs.update(run_all({case.name: case.args}, {**env, **case.env}, stdin=case.stdin))
    failures = [
        f"{case.name}: {problems}\n{runs[case.name].describe()}"
        for case in CASES
        if (problems := check_run(runs[case.name], case.exit_code, case.message))
    ]
    assert not failures, "\n".join(failures)
    assert emulator.requests == []  # nothing reached the API


def test_zero_width_space_around_the_token_is_dropped(emulator):
    env = command_env(emulator.base_url, CLOUDFLARE_API_TOKEN=f"\u200b{DEMO_TOKEN}\u200b\n")
    run = run_all({"verify": ["verify", *IDS[:2]]}, env)["verify"]
    assert check_run(run, 0) == []
    assert "active" in run.stdout
