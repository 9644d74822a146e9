"""The command line: with no subcommand it opens the window, subcommands run headless.

Only the module of the command asked for is imported (all of them for --help), so
the window starts without httpx, keyring or websockets loaded and headless
commands never load Qt.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from app import about
from app.core.process_hardening import disable_core_dumps
from app.core.redaction import install_log_redaction

# Which module registers each command; a test checks this against what they register.
COMMAND_MODULES = {
    "create": "app.cli.livestream_commands",
    "list": "app.cli.livestream_commands",
    "apps": "app.cli.livestream_commands",
    "verify": "app.cli.livestream_commands",
    "token": "app.cli.token_commands",
    "obs-send": "app.cli.obs_command",
    "preview": "app.cli.preview_command",
    "emulator": "app.cli.emulator_command",
}
# Global options followed by a value, so that the value is not taken for a command.
OPTIONS_WITH_VALUE = frozenset({"--api-base-url"})
HELP_FLAGS = frozenset({"-h", "--help"})


class CommandParser(argparse.ArgumentParser):
    """Never echoes unrecognised arguments: a token pasted as one would land on the terminal."""

    def error(self, message: str) -> NoReturn:
        if message.startswith("unrecognized arguments"):
            message = "unrecognized arguments (not shown); secrets are never arguments: see --help"
        super().error(message)


def command_in(argv: Sequence[str]) -> str | None:
    """The first word that is not an option (or an option's value)."""
    words = iter(argv)
    for word in words:
        if word in OPTIONS_WITH_VALUE:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def modules_for(argv: Sequence[str]) -> list[ModuleType]:
    command = command_in(argv)
    if command in COMMAND_MODULES:
        names = [COMMAND_MODULES[command]]
    elif command is None and not HELP_FLAGS.intersection(argv):
        names = []  # the window: no command module needed
    else:
        names = list(dict.fromkeys(COMMAND_MODULES.values()))  # help, or an unknown command
    return [importlib.import_module(name) for name in names]


def build_parser(modules: Sequence[ModuleType] | None = None) -> argparse.ArgumentParser:
    """The parser with the given command modules registered (all of them by default)."""
    if modules is None:
        modules = [importlib.import_module(n) for n in dict.fromkeys(COMMAND_MODULES.values())]
    parser = CommandParser(
        prog=about.COMMAND_NAME,
        description=f"{about.DISPLAY_NAME}: create Cloudflare RealtimeKit livestreams and "
        "preview them. With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {about.VERSION}")
    parser.add_argument(
        "--debug", action="store_true", help="log debug details (secrets are always masked)"
    )
    parser.add_argument(
        "--api-base-url",
        metavar="URL",
        help="RealtimeKit API base URL (default: $CLOUDFLARE_API_BASE_URL or Cloudflare's)",
    )
    parser.add_argument(
        "--self-check",
        action="store_true",
        help="check that video playback, the keyring and the demo stream work here, then exit",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the window against a local emulator: nothing is sent to Cloudflare",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in modules:
        module.register(subparsers)
    for subparser in subparsers.choices.values():
        _accept_global_options_after(subparser)
    return parser


def _accept_global_options_after(subparser: argparse.ArgumentParser) -> None:
    """`create --debug` works as well as `--debug create`; SUPPRESS keeps the global value."""
    subparser.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )
    subparser.add_argument("--api-base-url", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def configure_logging(debug: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    install_log_redaction()


def main(argv: Sequence[str] | None = None) -> int:
    disable_core_dumps()  # first: nothing secret is in memory yet
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(modules_for(argv)).parse_args(argv)
    configure_logging(args.debug)
    if args.self_check:
        from app.cli.self_check import run_self_check  # lazy: it loads Qt

        return run_self_check()
    if args.command is None:
        from app.ui.launch import run_gui  # lazy: headless commands never load Qt

        return run_gui(args)
    return args.run(args)
