"""Notices by e-mail: subscribers choose their areas, and each published notice is e-mailed to
the subscribers of its areas once, over the city's SMTP server (SMTP_HOST and friends).

Sends are planned when a notice is published (one row per subscriber) and marked sent one by
one, so a crash resumes where it stopped. SMTP has no retry key: a crash between the server
accepting a message and the row being marked can repeat that one message, which carries the
same Message-ID so mail software can recognise it. Interests are a LINE setting; e-mail goes by
area only. Also: the public unsubscribe page (a link in every message, RFC 8058 one-click).
"""

from __future__ import annotations

import logging
import re
import secrets
import smtplib
import ssl
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, tzinfo
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import urlencode

from flask import Blueprint, render_template, request
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bot import audit, web
from bot.config import Settings
from bot.db import Database, utcnow
from bot.friends import AREAS
from bot.logsafe import describe_failure
from bot.models import MailSend, MailSendStatus, MailSubscriber, Notice, NoticeStatus
from bot.notices.drafting import local_zone
from bot.notices.reading import content_of
from bot.notices.targeting import area_code
from messages import catalogue as say
from messages.notices import NoticeContent, when_label

log = logging.getLogger(__name__)
bp = Blueprint("mail", __name__, template_folder="templates")

EMAIL_PATTERN = re.compile(r"[^@\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z]{2,63}")
MAX_ATTEMPTS = 5
SENDS_PER_RUN = 500
SMTP_TIMEOUT_S = 30
NOT_MAILED = (NoticeStatus.WITHDRAWN,)
COMPOSE_FAILED = "メールを作成できませんでした（タイトルや本文に使えない文字があるなど）"


class SubscriptionError(ValueError):
    """A subscription request that cannot be done; `str()` is a message for staff (Japanese)."""


# -- subscribers ---------------------------------------------------------------------------------


def subscribe(session: Session, email: str, areas: Sequence[str], actor: str, now: datetime) -> MailSubscriber:
    """Add (or re-activate) a subscriber for `areas` (codes or labels; none: every area)."""
    email = email.strip()
    if len(email) > 254 or not EMAIL_PATTERN.fullmatch(email):
        raise SubscriptionError("メールアドレスの形が正しくありません。")
    codes = []
    for area in areas:
        code = area_code(area)
        if code is None:
            raise SubscriptionError(f"地域「{area}」はありません。{'、'.join(AREAS.values())} から選んでください。")
        codes.append(code)
    subscriber = session.scalar(select(MailSubscriber).where(MailSubscriber.email == email))
    if subscriber is None:
        subscriber = MailSubscriber(email=email, created_at=now, unsubscribe_token=secrets.token_urlsafe(32))
        session.add(subscriber)
    elif subscriber.unsubscribed_at is not None:
        subscriber.unsubscribed_at = None
        subscriber.unsubscribe_token = secrets.token_urlsafe(32)
    subscriber.areas = [code for code in AREAS if code in codes]
    session.flush()
    audit.record(session, actor, "mail.subscribe", target=str(subscriber.id), areas=subscriber.areas)
    return subscriber


def unsubscribe(session: Session, token: str, now: datetime, actor: str = "mail:subscriber") -> MailSubscriber | None:
    """Stop e-mail for the subscriber with this token; None when the token is unknown or used."""
    if not token or len(token) > 64:
        return None
    subscriber = session.scalar(select(MailSubscriber).where(MailSubscriber.unsubscribe_token == token))
    if subscriber is None or subscriber.unsubscribed_at is not None:
        return None
    subscriber.unsubscribed_at = now
    for send in session.scalars(select(MailSend).where(MailSend.subscriber_id == subscriber.id,
                                                       MailSend.status == MailSendStatus.PENDING)):
        send.status = MailSendStatus.CANCELLED
    audit.record(session, actor, "mail.unsubscribe", target=str(subscriber.id))
    return subscriber


def unsubscribe_url(settings: Settings, subscriber: MailSubscriber) -> str:
    return f"{settings.public_base_url}/mail/unsubscribe?{urlencode({'token': subscriber.unsubscribe_token})}"


# -- planning and sending ------------------------------------------------------------------------


def plan_mail(session: Session, notice: Notice, now: datetime) -> int:
    """One pending send per active subscriber of the notice's areas; returns how many."""
    notice.mail_planned_at = now
    rows = []
    for subscriber_id, areas in session.execute(
            select(MailSubscriber.id, MailSubscriber.areas).where(MailSubscriber.unsubscribed_at.is_(None))):
        if not notice.areas or not areas or set(areas) & set(notice.areas):
            rows.append({"notice_id": notice.id, "subscriber_id": subscriber_id,
                         "status": MailSendStatus.PENDING, "attempts": 0})
    if rows:
        session.execute(insert(MailSend), rows)
    return len(rows)


def plan_published(database: Database, settings: Settings, now: datetime) -> None:
    """Plan e-mail for notices published lately; older unplanned ones (e.g. published while
    e-mail was off) are marked without sending, so switching SMTP on does not mail the past."""
    recent = now - timedelta(minutes=settings.notice_grace_min)
    with database.transaction() as session:
        waiting = session.scalars(select(Notice).where(Notice.published_at.is_not(None),
                                                       Notice.mail_planned_at.is_(None)).with_for_update())
        for notice in waiting:
            if notice.status in NOT_MAILED or notice.published_at is None or notice.published_at < recent:
                notice.mail_planned_at = now
                continue
            count = plan_mail(session, notice, now)
            log.info("notice %s: e-mail planned for %d subscribers", notice.id, count)


def run_mail(database: Database, settings: Settings, now: datetime | None = None,
             keep_going: Callable[[], bool] = lambda: True) -> int:
    """Plan new notices' e-mail and send what is pending; returns how many messages went."""
    now = now or utcnow()
    plan_published(database, settings, now)
    with database.transaction() as session:
        pending = session.execute(
            select(MailSend.id).join(Notice, Notice.id == MailSend.notice_id)
            .where(MailSend.status == MailSendStatus.PENDING, Notice.status.not_in(NOT_MAILED))
            .order_by(MailSend.id).limit(SENDS_PER_RUN)
        ).scalars().all()
    if not pending:
        return 0
    sent = 0
    with _connect(settings) as smtp:
        for send_id in pending:
            if not keep_going():
                break
            outcome = _send_one(database, settings, smtp, send_id)
            if outcome == "broken":
                break
            sent += outcome == "sent"
    return sent


def _send_one(database: Database, settings: Settings, smtp: smtplib.SMTP, send_id: int) -> str:
    with database.transaction() as session:
        send = session.get(MailSend, send_id)
        if send is None or send.status is not MailSendStatus.PENDING:
            return "skipped"
        notice, subscriber = session.get(Notice, send.notice_id), session.get(MailSubscriber, send.subscriber_id)
        if notice is None or subscriber is None or notice.status in NOT_MAILED or not subscriber.active:
            send.status = MailSendStatus.CANCELLED
            return "skipped"
        send.attempts += 1
        try:
            message = compose(content_of(notice), subscriber.email, unsubscribe_url(settings, subscriber),
                              settings, local_zone(settings), message_id=f"notice-{notice.id}.{subscriber.id}")
        except Exception as exc:  # noqa: BLE001 - one message that cannot be written must not hold up the rest
            send.status, send.error = MailSendStatus.FAILED, f"{COMPOSE_FAILED} ({type(exc).__name__})"
            log.warning("e-mail for notice %s not composed: %s", notice.id, describe_failure(exc))
            return "failed"
    try:
        smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        _mark(database, send_id, MailSendStatus.FAILED, f"refused: {sorted(exc.recipients.values())[:1]}")
        return "failed"
    except (smtplib.SMTPException, OSError) as exc:
        _mark(database, send_id, None, f"{type(exc).__name__}: {exc}")
        log.warning("e-mail stopped: %s", type(exc).__name__)
        return "broken"
    _mark(database, send_id, MailSendStatus.SENT, None)
    return "sent"


def _mark(database: Database, send_id: int, status: MailSendStatus | None, error: str | None) -> None:
    with database.transaction() as session:
        send = session.get(MailSend, send_id)
        if send is None:
            return
        send.error = (error or "")[:1000] or None
        if status is MailSendStatus.SENT:
            send.status, send.sent_at = status, utcnow()
        elif status is not None or send.attempts >= MAX_ATTEMPTS:
            send.status = MailSendStatus.FAILED


def _connect(settings: Settings) -> smtplib.SMTP:
    if settings.smtp_tls == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_S,
                                              context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_S)
        if settings.smtp_tls == "starttls":
            smtp.starttls(context=ssl.create_default_context())
    if settings.smtp_user:
        smtp.login(settings.smtp_user, settings.smtp_password)
    return smtp


def compose(content: NoticeContent, to: str, unsubscribe: str, settings: Settings, tz: tzinfo,
            message_id: str) -> EmailMessage:
    """The e-mail for one notice: plain text, with the unsubscribe link and one-click headers."""
    message = EmailMessage()
    message["Subject"] = say.MAIL_SUBJECT.format(kind=content.kind_label, title=content.title)
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Date"] = format_datetime(content.published_at or utcnow())
    domain = settings.smtp_from.rpartition("@")[2].strip(">") or "localhost"
    message["Message-ID"] = f"<{message_id}@{domain}>"
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    areas = "・".join(content.area_labels) if content.area_labels else say.NOTICE_ALL_AREAS
    lines = [
        f"【{content.kind_label}】{content.title}",
        say.NOTICE_TARGET.format(areas=areas),
        when_label(content.published_at, tz),
        "",
        content.body,
    ]
    if content.link_url:
        lines += ["", f"{say.LABEL_NOTICE_LINK}: {content.link_url}"]
    lines += ["", "―" * 20, say.MAIL_FOOTER.format(unsubscribe_url=unsubscribe)]
    message.set_content("\n".join(lines), charset="utf-8")
    return message


# -- the unsubscribe page ------------------------------------------------------------------------

def _page(text: str, form_token: str | None = None, status: int = 200):
    html = render_template("notices/unsubscribe.html", title=say.FEED_TITLE, text=text, form_token=form_token,
                           button=say.MAIL_UNSUBSCRIBE_BUTTON)
    return html, status, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}


@bp.get("/mail/unsubscribe")
def unsubscribe_page():
    """Asks the subscriber to confirm stopping the e-mail (a link scanner's GET changes nothing)."""
    token = request.args.get("token", "")
    session = web.db_session()
    subscriber = session.scalar(select(MailSubscriber).where(MailSubscriber.unsubscribe_token == token)) \
        if token and len(token) <= 64 else None
    if subscriber is None or not subscriber.active:
        return _page(say.MAIL_UNSUBSCRIBE_UNKNOWN, status=404)
    return _page(say.MAIL_UNSUBSCRIBE_CONFIRM, form_token=token)


@bp.post("/mail/unsubscribe")
def unsubscribe_now():
    """Stops the e-mail: the confirm button, or a mail program's one-click request (RFC 8058)."""
    token = request.form.get("token") or request.args.get("token", "")
    with web.database().transaction() as session:
        subscriber = unsubscribe(session, token, utcnow())
    if subscriber is None:
        return _page(say.MAIL_UNSUBSCRIBE_UNKNOWN, status=404)
    return _page(say.MAIL_UNSUBSCRIBED)
