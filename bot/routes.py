"""Every route of the LINE bot, in one place."""

from __future__ import annotations

from linebot.v3.webhooks import FollowEvent, UnfollowEvent

from bot.line.router import Router
from handlers import classes, fallback, faq, friends, notices, procedures, settings


def build_router() -> Router:
    router = Router()

    # Event types
    router.on_event(FollowEvent, friends.on_follow)
    router.on_event(UnfollowEvent, friends.on_unfollow)

    # Postback actions (buttons and quick replies)
    router.on_postback("settings", settings.start)
    router.on_postback("settings.area", settings.choose_area)
    router.on_postback("settings.interest", settings.toggle_interest)
    router.on_postback("settings.done", settings.finish)
    router.on_postback("settings.later", settings.later)
    router.on_postback("menu", fallback.menu)
    router.on_postback("faq.ask", fallback.ask_question)
    router.on_postback("faq.show", faq.show_entry)
    router.on_postback("faq.none", faq.none_of_these)
    router.on_postback("faq.report", faq.report)
    router.on_postback("faq.feedback", faq.feedback)
    router.on_postback("procedures.online", procedures.online)
    router.on_postback("notices", notices.latest)
    router.on_postback("notices.show", notices.show)
    router.on_postback("classes", classes.list_classes)
    router.on_postback("classes.apply", classes.apply)
    router.on_postback("classes.name_ok", classes.name_ok)
    router.on_postback("classes.name_change", classes.name_change)
    router.on_postback("classes.no_phone", classes.no_phone)
    router.on_postback("classes.book", classes.book)
    router.on_postback("classes.mine", classes.my_bookings)
    router.on_postback("classes.cancel", classes.ask_cancel)
    router.on_postback("classes.cancel_ok", classes.cancel)
    router.on_postback("classes.keep", classes.keep)

    # Conversation flows (free text while a flow is waiting for an answer)
    router.on_flow(settings.SETTINGS)
    router.on_flow(classes.SIGNUP)
    router.on_cancel(settings.cancel)

    # Text intents (exact words, after normalisation)
    router.on_intent(["設定", "地域", "地域設定", "受信設定", "地域・受信設定"], settings.start)
    router.on_intent(["メニュー", "ヘルプ", "使い方"], fallback.menu)
    router.on_intent(faq.THANKS_PHRASES, faq.you_are_welcome)
    router.on_intent(faq.HELLO_PHRASES, faq.hello)
    router.on_intent(["オンライン手続き", "オンライン申請"], procedures.online)
    router.on_intent(["お知らせ", "おしらせ", "最新のお知らせ", "お知らせを見る"], notices.latest)
    router.on_intent(classes.LIST_INTENTS, classes.list_classes)
    router.on_intent(classes.MY_BOOKINGS_INTENTS, classes.my_bookings)

    # Everything else
    router.fallbacks(text=faq.answer_question, message=fallback.non_text_message, postback=fallback.unknown_postback)
    return router
