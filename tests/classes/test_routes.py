"""How スマホ教室 is reached: the rich-menu tile, the words residents type, and a flow whose own
「やめる」 answer replaces the router's general one."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from types import SimpleNamespace

from linebot.v3.webhooks import Event

from bot.line import richmenu
from bot.line.router import Context, Flow, Router
from bot.routes import build_router
from handlers import classes
from tests.support.webhook import new_user_id, postback_event, text_event


class Step(StrEnum):
    ONE = "one"


def dispatch(router: Router, raw: dict, conversation=None) -> list:
    ctx = Context(event=Event.from_dict(raw), session=None, settings=None,  # type: ignore[arg-type]
                  now=datetime.now(UTC), user_id=raw["source"]["userId"], conversation=conversation)
    return router.dispatch(ctx)


def test_a_flow_may_answer_yameru_itself():
    router = Router()
    router.on_flow(Flow(name="own", steps={Step.ONE: lambda ctx: ["step"]}, cancel=lambda ctx: ["own cancel"]))
    router.on_flow(Flow(name="plain", steps={Step.ONE: lambda ctx: ["step"]}))
    router.on_cancel(lambda ctx: ["router cancel"])
    user = new_user_id()
    own, plain = SimpleNamespace(flow="own", step="one"), SimpleNamespace(flow="plain", step="one")
    assert dispatch(router, text_event(user, "やめる"), own) == ["own cancel"]
    assert dispatch(router, postback_event(user, "action=cancel"), own) == ["own cancel"]
    assert dispatch(router, text_event(user, "やめる"), plain) == ["router cancel"]
    assert dispatch(router, text_event(user, "やめる")) == ["router cancel"]


def test_classes_are_registered_for_the_menu_tile_and_typed_words():
    described = build_router().describe()
    tiles = [t.get("postback") for menu in richmenu.load_menus() for t in menu.tiles]
    assert "classes" in tiles and "classes" in described["postbacks"]
    assert {"スマホ教室", "予約の確認"} <= set(described["intents"])
    assert classes.SIGNUP_FLOW in described["flows"] and classes.SIGNUP.cancel is classes.stop
