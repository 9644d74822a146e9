"""An answer from the API vouches for the form's token only if the request carried it: one
typed while the request ran has not been tried."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from app.ui.controllers.livestream_controller import LivestreamController
from app.ui.tasks import TaskRunner


class SlowApi:
    """Answers every request once `release` is set."""

    def __init__(self) -> None:
        self.release = asyncio.Event()

    async def list_livestreams(self, account_id, app_id, per_page):
        await self.release.wait()
        return SimpleNamespace(livestreams=[])

    async def list_apps(self, account_id):
        await self.release.wait()
        return []


def make_controller(form: dict[str, str], api: SlowApi) -> LivestreamController:
    return LivestreamController(lambda token: api, TaskRunner(), form_token=lambda: form["token"])


def test_an_answer_to_the_token_in_the_form_vouches_for_it(qloop, qtbot):
    form, api = {"token": "token-a"}, SlowApi()
    controller = make_controller(form, api)
    controller.request_apps("account", "token-a")
    api.release.set()
    with qtbot.waitSignal(controller.answered, timeout=2000) as answer:
        pass
    assert answer.args == [True]


def test_an_answer_to_a_token_since_replaced_does_not(qloop, qtbot):
    form, api = {"token": "token-a"}, SlowApi()
    controller = make_controller(form, api)
    controller.request_recent("account", "app", "token-a")
    form["token"] = "token-b"  # typed while the refresh was on its way
    api.release.set()
    with qtbot.waitSignal(controller.answered, timeout=2000) as answer:
        pass
    assert answer.args == [False]
