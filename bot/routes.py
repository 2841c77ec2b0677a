"""Every route of the LINE bot, in one place."""

from __future__ import annotations

from linebot.v3.webhooks import (
    FollowEvent, ImageMessageContent, LocationMessageContent, StickerMessageContent, UnfollowEvent,
)

from bot.line.router import Router
from handlers import classes, damage, fallback, faq, friends, media, notices, procedures, richmenu, settings, shelters
from messages.actions import Action
from messages.vocabulary import (
    DAMAGE_INTENTS, HELLO_PHRASES, HELP_INTENTS, LIFE_EVENT_WORDS, LIST_INTENTS, MENU_INTENTS, MY_BOOKINGS_INTENTS,
    MY_PROCEDURES_INTENTS, NOTICES_INTENTS, ONLINE_PROCEDURES_INTENTS, PROCEDURES_INTENTS, SETTINGS_INTENTS,
    SHELTERS_INTENTS, SHELTERS_NEAR_INTENTS, THANKS_PHRASES,
)


def build_router() -> Router:
    router = Router()

    # Event types
    router.on_event(FollowEvent, friends.on_follow)
    router.on_event(UnfollowEvent, friends.on_unfollow)

    # Messages other than text (inside a flow, its own `media` handlers answer: a damage report's photo)
    router.on_message(ImageMessageContent, media.on_image)
    router.on_message(LocationMessageContent, media.on_location)
    router.on_message(StickerMessageContent, media.on_sticker)

    # Postback actions (buttons and quick replies)
    router.on_postback(Action.SETTINGS, settings.start)
    router.on_postback(Action.SETTINGS_AREA, settings.choose_area)
    router.on_postback(Action.SETTINGS_INTEREST, settings.toggle_interest)
    router.on_postback(Action.SETTINGS_DONE, settings.finish)
    router.on_postback(Action.SETTINGS_LATER, settings.later)
    router.on_postback(Action.MENU, fallback.menu)
    router.on_postback(Action.HELP, fallback.usage)
    router.on_postback(Action.RESUME, router.resume)
    router.on_postback(Action.FAQ_ASK, fallback.ask_question)
    router.on_postback(Action.FAQ_SHOW, faq.show_entry)
    router.on_postback(Action.FAQ_NONE, faq.none_of_these)
    router.on_postback(Action.FAQ_REPORT, faq.report)
    router.on_postback(Action.FAQ_FEEDBACK, faq.feedback)
    router.on_postback(Action.PROCEDURES, procedures.start)
    router.on_postback(Action.PROCEDURES_EVENT, procedures.choose_event)
    router.on_postback(Action.PROCEDURES_ANSWER, procedures.answer)
    router.on_postback(Action.PROCEDURES_SAVE, procedures.save)
    router.on_postback(Action.PROCEDURES_MINE, procedures.mine)
    router.on_postback(Action.PROCEDURES_ONLINE, procedures.online)
    router.on_postback(Action.NOTICES, notices.latest)
    router.on_postback(Action.NOTICES_SHOW, notices.show)
    router.on_postback(Action.CLASSES, classes.list_classes)
    router.on_postback(Action.CLASSES_APPLY, classes.apply)
    router.on_postback(Action.CLASSES_NAME_OK, classes.name_ok)
    router.on_postback(Action.CLASSES_NAME_CHANGE, classes.name_change)
    router.on_postback(Action.CLASSES_NO_PHONE, classes.no_phone)
    router.on_postback(Action.CLASSES_BOOK, classes.book)
    router.on_postback(Action.CLASSES_MINE, classes.my_bookings)
    router.on_postback(Action.CLASSES_CANCEL, classes.ask_cancel)
    router.on_postback(Action.CLASSES_CANCEL_OK, classes.cancel)
    router.on_postback(Action.CLASSES_KEEP, classes.keep)
    router.on_postback(Action.RICHMENU_TAB, richmenu.tab_opened)
    router.on_postback(Action.SHELTERS, shelters.list_open)
    router.on_postback(Action.SHELTERS_NEAR, shelters.ask_location)
    router.on_postback(Action.DISASTER_LATEST, shelters.disaster_latest)
    router.on_postback(Action.DAMAGE_REPORT, damage.start)
    router.on_postback(Action.DAMAGE_CATEGORY, damage.choose_category)
    router.on_postback(Action.DAMAGE_NO_PHOTO, damage.no_photo)
    router.on_postback(Action.DAMAGE_NO_LOCATION, damage.no_location)
    router.on_postback(Action.DAMAGE_SUBMIT, damage.submit)

    # Conversation flows (free text while a flow is waiting for an answer)
    router.on_flow(settings.SETTINGS)
    router.on_flow(classes.SIGNUP)
    router.on_flow(damage.DAMAGE)
    router.on_cancel(settings.cancel)

    # Commands (exact words, after normalisation): answered even while a flow waits
    router.on_command(SETTINGS_INTENTS, settings.start)
    router.on_command(MENU_INTENTS, fallback.menu)
    router.on_command(HELP_INTENTS, fallback.usage)
    router.on_command(ONLINE_PROCEDURES_INTENTS, procedures.online)
    router.on_command(PROCEDURES_INTENTS, procedures.start)
    router.on_command(MY_PROCEDURES_INTENTS, procedures.mine)
    router.on_command([word for words in LIFE_EVENT_WORDS.values() for word in words], procedures.event_typed)
    router.on_command(NOTICES_INTENTS, notices.latest)
    router.on_command(LIST_INTENTS, classes.list_classes)
    router.on_command(MY_BOOKINGS_INTENTS, classes.my_bookings)
    router.on_command(SHELTERS_INTENTS, shelters.list_open)
    router.on_command(SHELTERS_NEAR_INTENTS, shelters.ask_location)
    router.on_command(DAMAGE_INTENTS, damage.start)

    # Text intents (exact words, after normalisation), outside flows only
    router.on_intent(THANKS_PHRASES, faq.you_are_welcome)
    router.on_intent(HELLO_PHRASES, faq.hello)

    # Everything else
    router.fallbacks(text=faq.answer_question, message=fallback.non_text_message, postback=fallback.unknown_postback)
    return router
