"""くらしの手続きガイド in LINE: pick a life event (button, or its words typed), answer its
narrowing questions (buttons), get the checklist, save it, see it again in 「わたしの手続き」;
and the オンライン手続き catalogue by category.

No flow waits for text: the answers so far travel in the buttons' data, so typing anything in
between simply asks something else."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from linebot.v3.messaging import Message

from bot.line.router import Context
from bot.models import LifeEvent, OnlineProcedure, Procedure, SavedChecklist
from bot.procedures import guide
from messages import procedures as views
from messages.procedures import Choice, OnlineCard, ProcedureCard, SavedNote
from messages.vocabulary import LIFE_EVENT_WORDS

EVENT_FOR_WORD = {word: key for key, words in LIFE_EVENT_WORDS.items() for word in words}


def _arg(ctx: Context, name: str) -> str:
    return ctx.postback.args.get(name, "") if ctx.postback else ""


def _choice(event: LifeEvent) -> Choice:
    return Choice(event.key, event.label)


def card_of(procedure: Procedure) -> ProcedureCard:
    return ProcedureCard(procedure.name, procedure.counter, procedure.bring, procedure.deadline, procedure.fee,
                         procedure.online_label, procedure.online_url, procedure.online_unverified,
                         procedure.note, procedure.sample or procedure.verified_on is None)


def start(ctx: Context) -> list[Message]:
    """「手続き」: which life event the resident's procedures are for."""
    return views.pick_event([_choice(e) for e in guide.events(ctx.session)])


def event_typed(ctx: Context) -> list[Message]:
    """An event's words typed (「引っ越し」「子どもが生まれた」): its first question."""
    event = guide.event(ctx.session, EVENT_FOR_WORD.get(ctx.text or "", ""))
    return _next(ctx, event, {}) if event is not None else start(ctx)


def choose_event(ctx: Context) -> list[Message]:
    """A life event tapped: its first question."""
    event = guide.event(ctx.session, _arg(ctx, "event"))
    return _next(ctx, event, {}) if event is not None else start(ctx)


def answer(ctx: Context) -> list[Message]:
    """A choice tapped: the next question, or the checklist when none is left."""
    event = guide.event(ctx.session, _arg(ctx, "event"))
    if event is None:
        return views.expired()
    return _next(ctx, event, views.decode_answers(_arg(ctx, "a")))


def _next(ctx: Context, event: LifeEvent, answers: dict[str, str]) -> list[Message]:
    tree = guide.event_tree(event)
    if tree is None:
        return views.expired()
    valid = tree.valid_answers(answers)
    question = tree.next_question(valid)
    if question is not None:
        choices = [Choice(c.key, c.label) for c in question.choices]
        return views.ask(_choice(event), question.text, question.key, choices, valid)
    found = guide.checklist(ctx.session, event, valid)
    if found is None:
        return views.expired()
    return views.checklist(_choice(event), found.answers, [card_of(p) for p in found.procedures])


def _note(ctx: Context, saved: SavedChecklist) -> SavedNote:
    until = saved.expires_at.astimezone(ZoneInfo(ctx.settings.timezone))
    return SavedNote(saved.code, f"{ctx.settings.public_base_url}/p/{saved.code}", f"{until.month}月{until.day}日")


def save(ctx: Context) -> list[Message]:
    """「保存する」: keeps the checklist and gives its number and counter page."""
    assert ctx.user_id
    event = guide.event(ctx.session, _arg(ctx, "event"))
    found = guide.checklist(ctx.session, event, views.decode_answers(_arg(ctx, "a"))) if event else None
    if found is None or not found.procedures:
        return views.expired()
    return views.saved(_note(ctx, guide.save_checklist(ctx.session, ctx.user_id, found, ctx.now)))


def mine(ctx: Context) -> list[Message]:
    """「わたしの手続き」: the saved checklists; with `code=`, that one again."""
    assert ctx.user_id
    code = _arg(ctx, "code")
    if not code:
        listed = guide.saved_of(ctx.session, ctx.user_id, ctx.now)
        labels = {e.key: e.label for e in guide.events(ctx.session)}
        return views.my_checklists([Choice(s.code, labels.get(s.event_key, s.event_key)) for s in listed])
    saved = guide.find_saved(ctx.session, code, ctx.now)
    found = guide.saved_checklist(ctx.session, saved) if saved and saved.line_user_id == ctx.user_id else None
    if saved is None or found is None:
        return views.saved_gone()
    return views.saved_checklist(_choice(found.event), [card_of(p) for p in found.procedures], _note(ctx, saved))


def _online_card(link: OnlineProcedure) -> OnlineCard:
    return OnlineCard(link.name, link.url, link.needs_card, link.note, link.url_unverified,
                      link.sample or link.verified_on is None)


def online(ctx: Context) -> list[Message]:
    """「オンライン手続き」: the categories; with `category=`, that category's links."""
    categories = guide.online_categories(ctx.session)
    category = _arg(ctx, "category")
    if not category:
        return views.online_categories(categories)
    links = guide.online_links(ctx.session, category)
    return views.online_links(category, [_online_card(link) for link in links], categories)
