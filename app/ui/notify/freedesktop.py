"""Desktop notifications through `org.freedesktop.Notifications` on the session bus.

GNOME, KDE, dunst, mako and the other notification daemons all serve it. The calls go
through jeepney, a pure-Python D-Bus library already installed with keyring: PySide6's
QtDBus cannot send the unsigned `replaces_id` that `Notify(susssasa{sv}i)` requires (a Python
int always goes out as a signed `i`, which the daemons refuse). One short connection per
notification: they are rare, and nothing is left open between them.
"""

from __future__ import annotations

import asyncio
import html
import logging

from app import about

log = logging.getLogger(__name__)

BUS_NAME = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
CALL_TIMEOUT_S = 5.0
EXPIRE_MS = 8000
URGENCY_NORMAL = 1


class NotificationsUnavailable(Exception):
    """No notification service answered on the session bus."""


class FreedesktopNotifier:
    def __init__(self, icon: str = "") -> None:
        # A themed icon name or a file:// URI.
        self._icon = icon

    async def notify(self, title: str, body: str) -> int:
        """Shows one notification; returns the daemon's id for it."""
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.asyncio import open_dbus_router
        from jeepney.wrappers import DBusErrorResponse

        address = DBusAddress(OBJECT_PATH, bus_name=BUS_NAME, interface=BUS_NAME)
        try:
            async with open_dbus_router(bus="SESSION") as router:
                capabilities = await self._call(router, new_method_call(address, "GetCapabilities"))
                if "body-markup" in capabilities[0]:
                    body = html.escape(body, quote=False)  # names and reasons are not markup
                hints = {
                    "urgency": ("y", URGENCY_NORMAL),
                    "desktop-entry": ("s", about.APP_ID),
                    "category": ("s", "network"),
                }
                message = new_method_call(
                    address,
                    "Notify",
                    "susssasa{sv}i",
                    (about.DISPLAY_NAME, 0, self._icon, title, body, [], hints, EXPIRE_MS),
                )
                (notification_id,) = await self._call(router, message)
        except (OSError, KeyError, DBusErrorResponse, TimeoutError) as error:
            # KeyError: jeepney finds no session bus address in the environment.
            raise NotificationsUnavailable(type(error).__name__) from error
        return notification_id

    @staticmethod
    async def _call(router, message) -> tuple:
        from jeepney.wrappers import unwrap_msg

        reply = await asyncio.wait_for(router.send_and_get_reply(message), CALL_TIMEOUT_S)
        return unwrap_msg(reply)
