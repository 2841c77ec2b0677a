"""Free-text questions answered from the FAQ, and the buttons under the answers.

The search decides (`bot/faq/`): `answer` sends one entry with 「解決した」/「解決しない」;
`suggest` offers the close entries (「もしかして」) and 「この中にない」; `none` says honestly
that there is no answer, gives the city's contact and offers 「職員に伝える」. Every question
is kept for staff review in the database (never in the logs)."""

from __future__ import annotations

from linebot.v3.messaging import Message

from bot import metrics
from bot.faq import questions as faq_questions
from bot.city_info import CityContact, load_city_info
from bot.faq.engine.search import Decision
from bot.faq.entries import as_search_entry
from bot.faq.live import PublishedEntry, live_index
from bot.models import FaqAsk, FaqEntryRecord
from bot.line.router import Context
from messages import faq as faq_messages
from messages.faq import AnswerCard, Choice, ContactCard

SUGGESTIONS_SHOWN = 3
SUGGEST_WITHIN = 0.1  # a third entry far behind the first two is not a likely meaning


def answer_question(ctx: Context) -> list[Message]:
    """Any text no other route took: answer it from the FAQ, suggest, or admit we do not know."""
    question = ctx.text or ""
    result = live_index().search(question)
    metrics.faq_decision(result.decision)
    entries = live_index().published([hit.entry_id for hit in _close_hits(result)])
    if result.decision is Decision.ANSWER and result.hits[0].entry_id in entries:
        ask_id = faq_questions.record_question(ctx.session, question, result, ctx.now)
        return faq_messages.answer(_published_card(entries[result.hits[0].entry_id]), ask_id)
    if result.decision is Decision.SUGGEST and len(entries) >= 2:
        ask_id = faq_questions.record_question(ctx.session, question, result, ctx.now)
        choices = [Choice(found.entry.id, found.entry.question) for found in entries.values()]
        return faq_messages.suggestions(choices, ask_id)
    # Decision none, or entries unpublished since the index was built: not answered.
    ask_id = faq_questions.record_question(ctx.session, question, result, ctx.now,
                                           unpublished=result.decision is not Decision.NONE)
    return faq_messages.not_found(_contact(ctx), ask_id)


def you_are_welcome(ctx: Context) -> list[Message]:
    """「ありがとう」: a kind word back."""
    return faq_messages.you_are_welcome()


def hello(ctx: Context) -> list[Message]:
    """「こんにちは」: a greeting, and how to ask a question."""
    return faq_messages.hello()


def show_entry(ctx: Context) -> list[Message]:
    """A 「もしかして」 button: that entry's answer, with the feedback buttons."""
    ask = _ask(ctx)
    entry = ctx.session.get(FaqEntryRecord, _arg(ctx, "entry"))
    if ask is None or entry is None or not entry.published:
        return faq_messages.gone()
    return faq_messages.answer(_card(entry), ask.id)


def none_of_these(ctx: Context) -> list[Message]:
    """「この中にない」: none of the suggestions fits; the question goes to staff's list."""
    ask = _ask(ctx)
    if ask is not None:
        faq_questions.mark_no_match(ask)
    return faq_messages.not_found(_contact(ctx), ask.id if ask else None, after_suggestions=True)


def report(ctx: Context) -> list[Message]:
    """「職員に伝える」: mark the question for staff and say so."""
    ask = _ask(ctx)
    if ask is None:
        return faq_messages.gone()
    faq_questions.report_to_staff(ask)
    return faq_messages.reported()


def feedback(ctx: Context) -> list[Message]:
    """「解決した」/「解決しない」 under an answer: store it and thank the resident."""
    ask = _ask(ctx)
    entry = ctx.session.get(FaqEntryRecord, _arg(ctx, "entry"))
    if ask is None or entry is None:
        return faq_messages.gone()
    resolved = _arg(ctx, "ok") == "1"
    faq_questions.give_feedback(ctx.session, ask, entry.id, resolved, ctx.now)
    return faq_messages.feedback_thanks(resolved, entry.department, _contact(ctx))


def _close_hits(result) -> list:
    """The answer, or the two or three entries close to the best one."""
    if result.decision is Decision.ANSWER:
        return result.hits[:1]
    top = result.hits[0].score if result.hits else 0.0
    close = [hit for hit in result.hits[:SUGGESTIONS_SHOWN] if hit.score >= top - SUGGEST_WITHIN]
    return close if len(close) >= 2 else result.hits[:2]


def _arg(ctx: Context, name: str) -> str:
    return ctx.postback.args.get(name, "")[:32] if ctx.postback else ""


def _ask(ctx: Context) -> FaqAsk | None:
    return faq_questions.find_ask(ctx.session, _arg(ctx, "ask"))


def _card(entry: FaqEntryRecord) -> AnswerCard:
    return _published_card(PublishedEntry(as_search_entry(entry), entry.sample and entry.verified_on is None))


def _published_card(found: PublishedEntry) -> AnswerCard:
    entry = found.entry
    return AnswerCard(
        entry_id=entry.id, question=entry.question, answer=entry.answer, department=entry.department,
        url=entry.url, category=entry.category, unverified_sample=found.unverified_sample,
    )


def _contact(ctx: Context) -> ContactCard:
    return contact_card(load_city_info(ctx.session).contact)


def contact_card(contact: CityContact) -> ContactCard:
    """The city's contact as the answers show it."""
    return ContactCard(name=contact.name, phone=contact.phone, hours=contact.hours, verified=contact.is_verified)
