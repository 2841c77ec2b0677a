"""One pass over JMA's feeds: new telegrams fetched once, read for the city, notices made.

Each feed is read with a conditional GET. After more than ten minutes without an answer from a
short feed (or on the very first pass), its long feed is read instead, once, to catch up: there,
only the newest warning telegram of each series and office matters (each restates the full
state) and events older than `STALE_AFTER` are skipped without being downloaded. A telegram
older than `STALE_AFTER` updates the state but is never sent as news. A broken or hostile
telegram is recorded and skipped, and never blocks the next one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from xml.etree.ElementTree import Element

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import notices
from bot.city_info import load_city_info
from bot.config import Settings
from bot.db import Database, utcnow
from bot.jma import fetch, rules, telegrams, wording
from bot.jma.policy import policies
from bot.jma.telegrams import Standing, Telegram
from bot.models import AlertAction, JmaAlertState, JmaFeed, JmaPoll, JmaTelegram, Notice, NoticeStatus

log = logging.getLogger(__name__)

ACTOR = "気象庁の自動連携"
STALE_AFTER = timedelta(minutes=30)
CATCH_UP_AFTER = timedelta(minutes=10)
KEEP_TELEGRAMS = timedelta(days=14)  # longer than the long feeds list them
POLL_ROW = 1
# What became of a telegram (JmaTelegram.outcome), as staff read it in the console.
OUTCOMES = {
    "notice": "お知らせを送信", "draft": "下書きを作成（承認待ち）", "nothing": "対象なし", "ignored": "無視",
    "stale": "古い電文（状態だけ反映）", "broken": "読めない電文", "withdrawn": "取消を反映",
    "skipped": "取得せず（より新しい電文あり）",
}


@dataclass
class PollResult:
    feeds: int = 0
    telegrams_fetched: int = 0
    notices: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    mode_reasons: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """What `python -m bot jma poll --json` prints."""
        return {"feeds": self.feeds, "telegrams_fetched": self.telegrams_fetched, "notices": self.notices}


def poll(database: Database, settings: Settings, gateway=None, now: datetime | None = None) -> PollResult:
    """Read every feed once, handle the new telegrams, and remember the pass for the console."""
    now = now or utcnow()
    result = PollResult()
    with database.transaction() as session:
        _record_start(session, now)
        session.execute(delete(JmaTelegram).where(JmaTelegram.seen_at < now - KEEP_TELEGRAMS))
    for short_url, long_url in _feed_pairs(settings):
        entries = _read_feed(database, short_url, long_url, now, result)
        for entry in entries:
            _handle_entry(database, settings, entry, now, result)
    with database.transaction() as session:
        run = session.get(JmaPoll, POLL_ROW)
        run.finished_at, run.feeds, run.telegrams_fetched = utcnow(), result.feeds, result.telegrams_fetched
        run.notice_ids, run.errors = list(result.notices), list(result.errors)
    for reason in result.mode_reasons:
        enter_disaster_mode(database, gateway, reason, now)
    return result


def _feed_pairs(settings: Settings) -> list[tuple[str, str | None]]:
    longs = list(settings.jma_long_feeds)
    return [(url, longs[i] if i < len(longs) else None) for i, url in enumerate(settings.jma_feeds)]


def _record_start(session: Session, now: datetime) -> None:
    run = session.get(JmaPoll, POLL_ROW)
    if run is None:
        session.add(JmaPoll(id=POLL_ROW, started_at=now))
    else:
        run.started_at, run.finished_at = now, None


# -- feeds ---------------------------------------------------------------------------------------


def _read_feed(database: Database, short_url: str, long_url: str | None, now: datetime,
               result: PollResult) -> list[fetch.Entry]:
    """The feed's entries that are ours and not seen yet, oldest first; [] when unchanged or down."""
    with database.read_sessions() as session:
        short = session.get(JmaFeed, short_url)
        catch_up = long_url is not None and (short is None or short.ok_at is None
                                             or now - short.ok_at > CATCH_UP_AFTER)
        url = long_url if catch_up else short_url
        known = session.get(JmaFeed, url)
        validators = (known.etag, known.last_modified) if known else (None, None)
    try:
        answer = fetch.fetch_feed(url, *validators)
    except fetch.FetchError as exc:
        _feed_failed(database, url, str(exc), now)
        result.errors.append(str(exc))
        return []
    result.feeds += 1
    with database.transaction() as session:
        for feed_url in {url, short_url}:
            feed = session.get(JmaFeed, feed_url) or JmaFeed(url=feed_url)
            session.add(feed)
            if feed.last_error:
                log.info("JMA feed %s answers again", feed_url)
            feed.checked_at, feed.ok_at, feed.last_error = now, now, None
            if feed_url == url:
                feed.etag, feed.last_modified = answer.etag, answer.last_modified
        entries = [e for e in answer.entries if telegrams.family_of(e.title)]
        seen = set(session.scalars(select(JmaTelegram.entry_id).where(
            JmaTelegram.entry_id.in_([e.url for e in entries])))) if entries else set()
        fresh = [e for e in entries if e.url not in seen]
        if not catch_up:
            return fresh
        kept = _newest_only(fresh, now)
        for entry in fresh:  # superseded or old: never fetched, and not fetched later either
            if entry not in kept:
                session.add(JmaTelegram(entry_id=entry.url, title=entry.title[:200], office=entry.office[:200],
                                        seen_at=now, outcome="skipped", notice_ids=[]))
    return kept


def _feed_failed(database: Database, url: str, error: str, now: datetime) -> None:
    """Log a feed's failure once (until it changes or the feed answers again), not every minute."""
    with database.transaction() as session:
        feed = session.get(JmaFeed, url) or JmaFeed(url=url)
        session.add(feed)
        if feed.last_error != error:
            log.warning("JMA feed not readable (logged once until it changes): %s", error)
        feed.checked_at, feed.last_error = now, error


def _newest_only(entries: list[fetch.Entry], now: datetime) -> list[fetch.Entry]:
    """Catching up: the newest warning per series and office, and only recent events."""
    newest: dict[tuple[str, str], fetch.Entry] = {}
    events = []
    for entry in entries:
        if telegrams.family_of(entry.title) in (telegrams.WARNING, telegrams.LANDSLIDE):
            newest[(entry.title, entry.office)] = entry  # entries are oldest first
        elif entry.updated is not None and now - entry.updated <= STALE_AFTER:
            events.append(entry)
    return sorted([*newest.values(), *events], key=lambda e: entries.index(e))


# -- telegrams -----------------------------------------------------------------------------------


def _handle_entry(database: Database, settings: Settings, entry: fetch.Entry, now: datetime,
                  result: PollResult) -> None:
    try:
        root: Element | None = fetch.fetch_telegram(entry.url)
        problem = ""
    except fetch.UnsafeXml as exc:
        root, problem = None, str(exc)
    except fetch.FetchError as exc:  # not remembered: tried again while the feed lists it
        log.warning("JMA telegram not fetched: %s", exc)
        result.errors.append(str(exc))
        return
    result.telegrams_fetched += 1
    try:
        with database.transaction() as session:
            row = JmaTelegram(entry_id=entry.url, title=entry.title[:200], office=entry.office[:200], seen_at=now,
                              outcome="broken", detail=problem[:500], notice_ids=[])
            session.add(row)
            session.flush()
            if root is not None:
                made = _handle(session, settings, row, root, now, result)
                row.notice_ids = [n.id for n in made]
                result.notices.extend(row.notice_ids)
            else:
                log.warning("JMA telegram refused: %s", problem)
    except IntegrityError:
        log.info("JMA telegram %s was handled by another process", entry.url)


def _handle(session: Session, settings: Settings, row: JmaTelegram, root: Element, now: datetime,
            result: PollResult) -> list[Notice]:
    city = load_city_info().municipality_name
    try:
        telegram = telegrams.read(root, settings.jma_city_code, city)
    except (ValueError, AttributeError) as exc:
        log.warning("JMA telegram %s not understood: %s", row.entry_id, exc)
        row.detail = f"内容を読み取れませんでした（{exc}）"[:500]
        return []
    row.outcome = "nothing"
    if telegram is None:
        row.outcome, row.detail = "ignored", "対象外の電文です。"
        return []
    row.title, row.office, row.report_at = telegram.title[:200], telegram.office[:200], telegram.report_at
    row.event_key, row.info_type = telegram.event_key[:300], telegram.info_type[:16]
    if telegram.status != "通常":
        row.outcome, row.detail = "ignored", f"「{telegram.status}」の電文のため使いません。"
        return []
    if telegram.info_type == "取消":
        return _withdraw(session, settings, row, telegram, now)
    stale = telegram.report_at is None or now - telegram.report_at > STALE_AFTER
    found = _alerts(session, settings, row, telegram, city, now)
    if not found:
        row.detail = f"{city}に関係する変化はありません。"
        return []
    if stale:
        row.outcome, row.detail = "stale", "発表から時間がたった電文のため、お知らせは作りません。"
        return []
    return _notify(session, settings, row, found, now, result)


Alert = tuple[rules.AlertKind, wording.Wording, bool]  # kind, what residents read, raised


def _alerts(session: Session, settings: Settings, row: JmaTelegram, telegram: Telegram, city: str,
            now: datetime) -> list[Alert]:
    """What the telegram announces for the city (state updated for warnings)."""
    zone, shelters = notices.local_zone(settings), f"{settings.public_base_url}/shelters"
    if telegram.family in (telegrams.WARNING, telegrams.LANDSLIDE):
        if not telegram.kinds:  # another prefecture's telegram: says nothing about the city
            return []
        before = _load_state(session, settings.jma_city_code)
        after, changes = rules.apply_series(before, telegram.title, telegram.kinds)
        row.state_before = [_as_json(p, s) for (series, p), s in before.items() if series == telegram.title]
        _save_series(session, settings.jma_city_code, telegram.title, after, now)
        return [(c.kind, wording.for_change(c, telegram, city, zone, shelters), c.raised) for c in changes if c.news]
    if telegram.family == telegrams.RECORD_RAIN:
        return [(rules.AlertKind.RECORD_RAIN, wording.for_record_rain(telegram, city, zone, shelters), True)
                ] if telegram.lines else []
    kind = rules.quake_kind(telegram.intensity, settings.jma_min_intensity)
    if kind is None or _already_told(session, row):
        return []
    return [(kind, wording.for_quake(telegram, city, zone, shelters), True)]


def _notify(session: Session, settings: Settings, row: JmaTelegram, found: list[Alert], now: datetime,
            result: PollResult) -> list[Notice]:
    chosen = policies(session)
    made, outcomes = [], set()
    for kind, words, raised in found:
        policy = chosen[kind]
        if policy.action is AlertAction.NONE:
            outcomes.add("nothing")
            continue
        made.append(_create(session, settings, words, now, draft=policy.action is AlertAction.DRAFT))
        outcomes.add(policy.action.value if policy.action is AlertAction.DRAFT else "notice")
        if policy.disaster_mode and raised:
            result.mode_reasons.append(words.title)
    row.outcome = "notice" if "notice" in outcomes else "draft" if "draft" in outcomes else "nothing"
    row.detail = "、".join(w.title for _k, w, _r in found)[:500]
    return made


def _create(session: Session, settings: Settings, words: wording.Wording, now: datetime, draft: bool) -> Notice:
    """A 気象・災害 notice to every friend through the notices domain (LINE, feed, e-mail)."""
    if draft:
        settings = settings.with_overrides(notice_approval_required=True)
    notice_draft = notices.NoticeDraft(title=words.title[:notices.TITLE_MAX], body=words.body, kind="weather",
                                       link_url=f"{settings.public_base_url}/shelters")
    return notices.create_notice(session, notice_draft, ACTOR, settings, now, source="jma")


def _already_told(session: Session, row: JmaTelegram) -> bool:
    """An earthquake already announced by an earlier telegram of the same event."""
    earlier = session.scalars(select(JmaTelegram.notice_ids).where(
        JmaTelegram.event_key == row.event_key, JmaTelegram.id != row.id))
    return any(ids for ids in earlier)


# -- alert state ---------------------------------------------------------------------------------


def _as_json(phenomenon: str, standing: Standing) -> dict[str, Any]:
    return {"phenomenon": phenomenon, "kind_name": standing.kind_name, "grade": standing.grade,
            "level": standing.level}


def _load_state(session: Session, city_code: str) -> rules.State:
    rows = session.scalars(select(JmaAlertState).where(JmaAlertState.city_code == city_code))
    return {(r.series, r.phenomenon): Standing(r.kind_name, r.grade, r.level) for r in rows}


def _save_series(session: Session, city_code: str, series: str, state: rules.State, now: datetime) -> None:
    session.execute(delete(JmaAlertState).where(JmaAlertState.city_code == city_code,
                                                JmaAlertState.series == series))
    for (row_series, phenomenon), standing in state.items():
        if row_series == series:
            session.add(JmaAlertState(city_code=city_code, series=series, phenomenon=phenomenon,
                                      kind_name=standing.kind_name, grade=standing.grade, level=standing.level,
                                      updated_at=now))
    session.flush()


# -- 取消 ----------------------------------------------------------------------------------------


def _withdraw(session: Session, settings: Settings, row: JmaTelegram, telegram: Telegram,
              now: datetime) -> list[Notice]:
    """取消: undo what the cancelled telegram did; notices already sent are withdrawn (the feed marks
    them) and a short correction goes out, since LINE messages cannot be unsent."""
    row.outcome = "withdrawn"
    cancelled = session.scalars(select(JmaTelegram).where(
        JmaTelegram.event_key == row.event_key, JmaTelegram.id != row.id, JmaTelegram.info_type != "取消")
        .order_by(JmaTelegram.id.desc())).first()
    if cancelled is None:
        row.detail = "取り消された電文は受け取っていません。"
        return []
    if cancelled.state_before is not None:
        restored = {(telegram.title, s["phenomenon"]): Standing(s["kind_name"], s["grade"], s["level"])
                    for s in cancelled.state_before}
        _save_series(session, settings.jma_city_code, telegram.title, restored, now)
    corrections = []
    for notice_id in cancelled.notice_ids:
        notice = notices.get_notice(session, notice_id)
        if notice.status in notices.EDITABLE:
            notices.cancel_notice(session, notice.id, ACTOR, now)
        elif notice.published_at is not None and notice.status is not NoticeStatus.WITHDRAWN:
            notices.withdraw_notice(session, notice.id, ACTOR, wording.say.JMA_WITHDRAWN_REASON, now)
            corrections.append(_create(session, settings, wording.correction(notice.title), now, draft=False))
    row.detail = f"{cancelled.detail or cancelled.title} を取り消しました。"[:500]
    return corrections


# -- disaster mode -------------------------------------------------------------------------------


def enter_disaster_mode(database: Database, gateway, reason: str, now: datetime) -> None:
    """Switch the account to disaster mode for an alert whose kind asks for it (see the console)."""
    from bot.disaster import mode

    with database.transaction() as session:
        if mode.enter_disaster_mode(session, gateway, reason=reason, actor=ACTOR, now=now):
            log.info("disaster mode switched on by a JMA alert")
