"""The command line loads only what the command asked for needs."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

import pytest

from app.cli import COMMAND_MODULES, command_in, modules_for


def test_command_table_matches_what_modules_register():
    registered: dict[str, str] = {}
    for module_name in set(COMMAND_MODULES.values()):
        parser = argparse.ArgumentParser()
        subparsers = parser.add_subparsers()
        importlib.import_module(module_name).register(subparsers)
        registered.update(dict.fromkeys(subparsers.choices, module_name))
    assert registered == COMMAND_MODULES


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        ([], None),
        (["--demo"], None),
        (["--api-base-url", "http://127.0.0.1:1/v4", "create", "--name", "x"], "create"),
        (["--api-base-url=http://127.0.0.1:1/v4", "list"], "list"),
        (["--debug", "token", "status"], "token"),
    ],
)
def test_command_found_past_global_options(argv, command):
    assert command_in(argv) == command


def test_window_and_help_load_the_right_modules():
    assert modules_for(["--demo"]) == []
    assert {m.__name__ for m in modules_for(["token", "status"])} == {"app.cli.token_commands"}
    assert {m.__name__ for m in modules_for(["--help"])} == set(COMMAND_MODULES.values())
    assert {m.__name__ for m in modules_for(["bogus"])} == set(COMMAND_MODULES.values())


def test_parsing_for_the_window_loads_no_network_or_keyring_code():
    probe = (
        "import sys; from app.cli import build_parser, modules_for; "
        "build_parser(modules_for(['--demo'])).parse_args(['--demo']); "
        "print(sorted(m for m in ('httpx', 'keyring', 'simpleobsws', 'PySide6') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_unknown_command_is_a_usage_error():
    result = subprocess.run(
        [sys.executable, "-m", "app", "frobnicate"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
