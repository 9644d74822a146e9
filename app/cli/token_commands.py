"""Placeholder until this command group lands."""

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    return None
