"""Which environments have no display for the window."""

from __future__ import annotations

import socket

import pytest

from app.ui.display_check import (
    NO_DISPLAY_MESSAGE,
    X_SOCKET_DIR,
    display_problem,
    x_server_answers_at,
)
from tests.fixtures.notifications import free_display_number


def always(_display: str) -> bool:
    return True


@pytest.mark.parametrize(
    ("environ", "platform", "missing"),
    [
        ({}, "linux", True),
        ({"DISPLAY": ":0"}, "linux", False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux", True),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"QT_QPA_PLATFORM": "vnc:size=800x600"}, "linux", False),
        ({}, "darwin", False),
        ({}, "win32", False),
    ],
)
def test_no_display_at_all(environ, platform, missing):
    problem = display_problem(environ, platform, x_server_answers=always)
    assert (problem == NO_DISPLAY_MESSAGE) is missing


@pytest.mark.parametrize(
    ("environ", "checked"),
    [
        ({"DISPLAY": ":7"}, True),  # X is what Qt will use
        ({"DISPLAY": ":7", "QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "w-0"}, True),
        ({"DISPLAY": ":7", "WAYLAND_DISPLAY": "w-0"}, False),  # Qt prefers Wayland here
        ({"DISPLAY": ":7", "QT_QPA_PLATFORM": "wayland"}, False),
        ({"DISPLAY": ":7", "QT_QPA_PLATFORM": "offscreen"}, False),
    ],
)
def test_an_x_server_that_does_not_answer_is_named(environ, checked):
    asked: list[str] = []

    def gone(display: str) -> bool:
        asked.append(display)
        return False

    problem = display_problem(environ, "linux", x_server_answers=gone)
    assert asked == ([":7"] if checked else [])
    if checked:
        assert problem is not None and "DISPLAY=:7" in problem
    else:
        assert problem is None


def test_a_display_name_is_shown_as_data():
    problem = display_problem({"DISPLAY": ":7\x1b[2J"}, "linux", x_server_answers=lambda d: False)
    assert problem is not None and "\x1b" not in problem


def test_a_local_display_with_no_server_does_not_answer():
    assert not x_server_answers_at(f":{free_display_number()}")
    assert not x_server_answers_at(f"unix:{free_display_number()}.0")


def test_a_server_on_the_abstract_socket_answers():
    number = free_display_number()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(f"\0{X_SOCKET_DIR}/X{number}")
        server.listen(1)
        assert x_server_answers_at(f":{number}")


@pytest.mark.parametrize("display", ["localhost:10.0", "example.invalid:0", "weird"])
def test_remote_or_unusual_displays_are_left_to_qt_without_connecting(display, monkeypatch):
    def no_sockets(*args, **kwargs):
        raise AssertionError("no connection is made to check a remote display")

    monkeypatch.setattr(socket, "socket", no_sockets)
    assert x_server_answers_at(display)
