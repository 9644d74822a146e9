"""The command line: with no subcommand it opens the window, subcommands run headless.

Subcommand modules import only the Qt-free core; the GUI is imported lazily so
that headless commands start fast and run without a display.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import NoReturn

from app import about
from app.cli import (
    emulator_command,
    livestream_commands,
    obs_command,
    preview_command,
    token_commands,
)
from app.core.redaction import install_log_redaction

SUBCOMMAND_MODULES = (
    livestream_commands,
    token_commands,
    obs_command,
    preview_command,
    emulator_command,
)


class CommandParser(argparse.ArgumentParser):
    """Never echoes unrecognised arguments: a token pasted as one would land on the terminal."""

    def error(self, message: str) -> NoReturn:
        if message.startswith("unrecognized arguments"):
            message = "unrecognized arguments (not shown); secrets are never arguments: see --help"
        super().error(message)


def build_parser() -> argparse.ArgumentParser:
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
    for module in SUBCOMMAND_MODULES:
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
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.debug)
    if args.self_check:
        from app.cli.self_check import run_self_check  # lazy: it loads Qt

        return run_self_check()
    if args.command is None:
        from app.ui.launch import run_gui  # lazy: headless commands never load Qt

        return run_gui(args)
    return args.run(args)
