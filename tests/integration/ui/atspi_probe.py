"""Drives the running demo window through the accessibility tree, as a screen reader user would.

Run with the system python3 (pyatspi is a Debian package built on GObject introspection):

    /usr/bin/python3 atspi_probe.py DEMO_TOKEN

It finds controls by role and name, presses them, types with real key events, reads the
card's badge, the Recent row and the preview's state, and prints one JSON object with what
it saw and when. No app code is imported: only what the accessibility tree exposes.
"""

from __future__ import annotations

import json
import sys
import time

import pyatspi

APP_NAME = "Livestream Companion"
POLL_S = 0.2
WRONG_TOKEN = "wrong-token-0123456789abcdefghijklmnop"


def walk(node):
    yield node
    for i in range(node.childCount):
        child = node.getChildAtIndex(i)
        if child is not None:
            yield from walk(child)


def showing(node) -> bool:
    return node.getState().contains(pyatspi.STATE_SHOWING)


def find(app, role: str, name: str | None = None, prefix: str | None = None):
    for node in walk(app):
        if node.getRoleName() != role:
            continue
        if name is not None and node.name == name:
            return node
        if prefix is not None and node.name.startswith(prefix):
            return node
    raise LookupError(f"no {role} named {name or prefix!r}")


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(POLL_S)
    raise TimeoutError(what)


def find_app(timeout: float = 60.0):
    desktop = pyatspi.Registry.getDesktop(0)

    def app():
        return next((a for a in desktop if a is not None and a.name == APP_NAME), None)

    return wait_for(app, timeout, "the app on the accessibility bus")


def press(node) -> None:
    node.queryAction().doAction(0)


def type_into(field, text: str) -> None:
    """Click into it, select all, type: real pointer and key events, as from a user."""
    registry = pyatspi.Registry
    extents = field.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    x, y = extents.x + extents.width // 2, extents.y + extents.height // 2
    registry.generateMouseEvent(x, y, "abs")
    registry.generateMouseEvent(x, y, "b1c")
    time.sleep(0.3)
    ctrl = 37  # keycode of Control_L on X11
    registry.generateKeyboardEvent(ctrl, None, pyatspi.KEY_PRESS)
    registry.generateKeyboardEvent(ord("a"), None, pyatspi.KEY_SYM)
    registry.generateKeyboardEvent(ctrl, None, pyatspi.KEY_RELEASE)
    for character in text:
        # Latin-1 characters are their own X keysyms.
        registry.generateKeyboardEvent(ord(character), None, pyatspi.KEY_SYM)
    time.sleep(0.3)


def row_names(recent_list) -> list[str]:
    names = []
    for i in range(recent_list.childCount):
        child = recent_list.getChildAtIndex(i)
        if child is not None:
            names.append(child.name)
    return names


def main() -> int:
    seen: dict = {}
    try:
        drive(sys.argv[1], seen)
    except (LookupError, TimeoutError) as error:
        seen["error"] = f"{type(error).__name__}: {error}"
    print(json.dumps(seen))
    return 0 if "error" not in seen else 1


def drive(demo_token: str, seen: dict) -> None:
    app = find_app()
    create = wait_for(
        lambda: _try(lambda: find(app, "push button", name="Create livestream")),
        30,
        "the Create button",
    )
    badge = find(app, "label", prefix="Livestream status: ")
    recent = find(app, "list", name="Recent livestreams of this app")
    seen["badge_before"] = badge.name
    press(create)

    # The preview's state label is named after its state: "Preview: Live".
    preview = wait_for(
        lambda: _try(lambda: find(app, "label", prefix="Preview: ")), 30, "the preview headline"
    )
    # Poll all three places; note when each first says Live.
    first_live: dict[str, float] = {}
    deadline = time.monotonic() + 60
    while len(first_live) < 3 and time.monotonic() < deadline:
        now = time.monotonic()
        said = {
            "preview": preview.name,
            "badge": badge.name,
            "recent": " | ".join(row_names(recent)),
        }
        if said["preview"] == "Preview: Live":
            first_live.setdefault("preview", now)
        if said["badge"] == "Livestream status: Live":
            first_live.setdefault("badge", now)
        if "\u00b7  Live  \u00b7" in said["recent"]:
            first_live.setdefault("recent", now)
        seen["last_said"] = said
        time.sleep(POLL_S)
    seen["first_live"] = first_live
    if len(first_live) == 3:
        seen["live_spread_s"] = max(first_live.values()) - min(first_live.values())

    # A wrong token: the banner names the problem; retyping the token clears it.
    token = find(app, "password text", name="API token")
    type_into(token, WRONG_TOKEN)
    seen["typed_length"] = token.queryText().characterCount
    press(create)
    banner = wait_for(
        lambda: _try(lambda: _showing_banner(app, "did not accept the token")),
        30,
        "the token banner",
    )
    seen["banner"] = banner.name
    type_into(token, demo_token)
    seen["banner_cleared"] = bool(
        _try(lambda: wait_for(lambda: not showing(banner), 5, "the banner to clear"))
    )


def _showing_banner(app, words: str):
    for node in walk(app):
        if node.getRoleName() == "panel" and words in node.name and showing(node):
            return node
    return None


def _try(action):
    try:
        return action()
    except (LookupError, TimeoutError):
        return None


if __name__ == "__main__":
    sys.exit(main())
