"""Every postback action: the `action=` of a button's data, as `bot/routes.py` registers it.

The values are in residents' chats (old buttons keep working) and in the rich menu
(`content/richmenu/*.json`): never change one."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    CANCEL = "cancel"  # 「やめる」 in any flow
    MENU = "menu"
    SETTINGS = "settings"
    SETTINGS_AREA = "settings.area"
    SETTINGS_INTEREST = "settings.interest"
    SETTINGS_DONE = "settings.done"
    SETTINGS_LATER = "settings.later"
    FAQ_ASK = "faq.ask"
    FAQ_SHOW = "faq.show"
    FAQ_NONE = "faq.none"
    FAQ_REPORT = "faq.report"
    FAQ_FEEDBACK = "faq.feedback"
    HELP = "help"  # 「使い方」
    RESUME = "resume"  # 「続きから」: back to a flow a command put aside
    PROCEDURES = "procedures"  # くらしの手続きガイド: pick a life event
    PROCEDURES_EVENT = "procedures.event"
    PROCEDURES_ANSWER = "procedures.answer"
    PROCEDURES_SAVE = "procedures.save"
    PROCEDURES_MINE = "procedures.mine"  # わたしの手続き
    PROCEDURES_ONLINE = "procedures.online"  # the online catalogue; `category=` opens one category
    NOTICES = "notices"
    NOTICES_SHOW = "notices.show"
    CLASSES = "classes"
    CLASSES_APPLY = "classes.apply"
    CLASSES_NAME_OK = "classes.name_ok"
    CLASSES_NAME_CHANGE = "classes.name_change"
    CLASSES_NO_PHONE = "classes.no_phone"
    CLASSES_BOOK = "classes.book"
    CLASSES_MINE = "classes.mine"
    CLASSES_CANCEL = "classes.cancel"
    CLASSES_CANCEL_OK = "classes.cancel_ok"
    CLASSES_KEEP = "classes.keep"
    RICHMENU_TAB = "richmenu.tab"  # the postback LINE sends after a tab of the rich menu was opened
    SHELTERS = "shelters"  # the open shelters, the resident's own area first
    SHELTERS_NEAR = "shelters.near"  # asks for a location; the answer is the nearest open shelters
    DAMAGE_REPORT = "damage.report"  # starts a damage report
    DISASTER_LATEST = "disaster.latest"  # 最新の防災情報: the latest 避難情報 and 気象・災害 notices
    DAMAGE_CATEGORY = "damage.category"
    DAMAGE_NO_PHOTO = "damage.no_photo"
    DAMAGE_NO_LOCATION = "damage.no_location"
    DAMAGE_SUBMIT = "damage.submit"
