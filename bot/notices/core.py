"""Notices: composed once (kind, title, body, link, image, target, send time) and then sent by
the scheduler to LINE, the website feed and e-mail.

The LINE handlers, the console, the `/api/notices` endpoint, the command line and the scheduler
all call these functions with a session and plain values; the caller owns the transaction.
Every change made by a person or another system writes an audit entry.

Life of a notice (`NoticeStatus`): created as 予約済み (scheduled), or 承認待ち (awaiting
approval) when the city requires a second person for 避難情報 and 気象・災害; editable and
cancellable until it goes. When due, the scheduler resolves its recipients and it is 送信中
(sending), then 送信済み (sent), or 送信保留 (held: monthly quota, or LINE refused it) until
staff resume or cancel it. A published notice can be withdrawn (取消): the feeds keep it, marked,
with the correction. One that fell due while the scheduler was down for longer than the grace
period is 期限切れ (expired) and is never sent silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from bot import audit
from bot.config import Settings
from bot.friends import AREAS, INTERESTS, following_friends, wants_any
from bot.models import (
    BatchStatus, Delivery, DeliveryBatch, DeliveryStatus, Friend, FriendStatus, MailSend, MailSendStatus, Notice,
    NoticeKind, NoticeStatus,
)
from messages.notices import NoticeContent
from messages.text import utf16_length

if TYPE_CHECKING:
    from bot.line.gateway import LineGateway

KINDS: dict[NoticeKind, str] = {
    NoticeKind.EVACUATION: "避難情報",
    NoticeKind.WEATHER: "気象・災害",
    NoticeKind.EVENT: "イベント",
    NoticeKind.INFO: "お知らせ",
}
# Kinds that reach everyone in the area whatever their interests, and that may need approval.
URGENT_KINDS = frozenset({NoticeKind.EVACUATION, NoticeKind.WEATHER})
# Sent first when several notices are due at once.
URGENCY = {NoticeKind.EVACUATION: 0, NoticeKind.WEATHER: 1, NoticeKind.EVENT: 2, NoticeKind.INFO: 3}
STATUS_LABELS: dict[NoticeStatus, str] = {
    NoticeStatus.AWAITING_APPROVAL: "承認待ち",
    NoticeStatus.SCHEDULED: "予約済み",
    NoticeStatus.SENDING: "送信中",
    NoticeStatus.SENT: "送信済み",
    NoticeStatus.HELD: "送信保留",
    NoticeStatus.CANCELLED: "中止",
    NoticeStatus.EXPIRED: "期限切れ",
    NoticeStatus.WITHDRAWN: "取消",
}
# `python -m bot notice status` reports one of six words; the other states map onto them.
PUBLIC_STATUS: dict[NoticeStatus, str] = {
    NoticeStatus.AWAITING_APPROVAL: "held",  # held for a second person's approval
    NoticeStatus.SCHEDULED: "scheduled",
    NoticeStatus.SENDING: "sending",
    NoticeStatus.SENT: "sent",
    NoticeStatus.HELD: "held",
    NoticeStatus.CANCELLED: "cancelled",
    NoticeStatus.EXPIRED: "expired",
    NoticeStatus.WITHDRAWN: "cancelled",  # 取消 after publishing; `sent` still counts who got it
}
EDITABLE = frozenset({NoticeStatus.AWAITING_APPROVAL, NoticeStatus.SCHEDULED})
TITLE_MAX = 100
BODY_MAX = 4000  # UTF-16 code units: the whole body always fits one LINE text message
URL_MAX = 1000
REASON_MAX = 1000
SCHEDULE_AHEAD_MAX = timedelta(days=366)
RESOLVE_CHUNK = 5000
PAST_TOLERANCE = timedelta(minutes=5)  # "now" typed a little late is still now
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
AREA_ALIASES = {"みね": "mine", "大嶺": "mine", "みとう": "mito", "しゅうほう": "shuho"}


class NoticeError(Exception):
    """An action the notice's state does not allow; `str()` is a message for staff (Japanese)."""


class NoticeNotFound(NoticeError):
    def __init__(self, notice_id: int) -> None:
        super().__init__(f"お知らせ {notice_id} は見つかりません。")
        self.notice_id = notice_id


class NoticeInvalid(NoticeError):
    """The draft has mistakes; `errors` maps each field to a message for staff (Japanese)."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("入力内容に誤りがあります。" + " ".join(errors.values()))
        self.errors = dict(errors)


@dataclass(frozen=True)
class CleanDraft:
    """A draft that passed validation: codes instead of labels, an aware send time."""

    kind: NoticeKind
    title: str
    body: str
    link_url: str | None
    image_url: str | None
    areas: list[str]
    interests: list[str]
    send_at: datetime


@dataclass
class NoticeDraft:
    """What staff (or another system) typed: kind and areas as codes or Japanese labels,
    send_at as an aware datetime, an ISO-8601 string (Japan time when it has no offset) or
    None for now."""

    title: str = ""
    body: str = ""
    kind: str = NoticeKind.INFO.value
    link_url: str | None = None
    image_url: str | None = None
    areas: Sequence[str] = field(default_factory=list)
    interests: Sequence[str] = field(default_factory=list)
    send_at: datetime | str | None = None

    @classmethod
    def from_json(cls, data: Any) -> NoticeDraft:
        """A draft from a JSON object (`/api/notices`); wrong types become validation errors."""
        if not isinstance(data, Mapping):
            raise NoticeInvalid({"body": "JSON のオブジェクトで送ってください。"})
        errors: dict[str, str] = {}
        unknown = sorted(set(data) - {"title", "body", "kind", "link", "image", "areas", "interests", "send_at"})
        if unknown:
            errors["_"] = f"使えない項目があります: {', '.join(unknown)}"
        values: dict[str, Any] = {}
        for name, attr in (("title", "title"), ("body", "body"), ("kind", "kind"), ("link", "link_url"),
                           ("image", "image_url"), ("send_at", "send_at")):
            value = data.get(name)
            if value is not None and not isinstance(value, str):
                errors[name] = "文字列で指定してください。"
            elif value is not None:
                values[attr] = value
        for name in ("areas", "interests"):
            value = data.get(name, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                errors[name] = "文字列の配列で指定してください。"
            else:
                values[name] = value
        if errors:
            raise NoticeInvalid(errors)
        return cls(**values)

    def validate(self, now: datetime, timezone: tzinfo) -> CleanDraft:
        """The clean draft, or NoticeInvalid listing every mistake."""
        errors: dict[str, str] = {}
        kind = _parse_kind(self.kind, errors)
        title = _clean_text(self.title, "title", "タイトル", TITLE_MAX, errors, single_line=True)
        body = _clean_text(self.body, "body", "本文", BODY_MAX, errors)
        link_url = _clean_url(self.link_url, "link", "リンク", errors, https_only=False)
        image_url = _clean_url(self.image_url, "image", "画像", errors, https_only=True)
        areas = _parse_choices(self.areas, "areas", "地域", area_code, AREAS, errors)
        interests = _parse_choices(self.interests, "interests", "対象の情報", interest_code, INTERESTS, errors)
        if kind in URGENT_KINDS and interests:
            errors["interests"] = f"{KINDS[kind]}は受け取る情報の設定に関係なく届きます。対象の情報は選べません。"
        send_at = _parse_send_at(self.send_at, now, timezone, errors)
        if errors or kind is None or send_at is None:
            raise NoticeInvalid(errors)
        return CleanDraft(kind, title, body, link_url, image_url, areas, interests, send_at)


def _parse_kind(raw: str | None, errors: dict[str, str]) -> NoticeKind | None:
    value = unicodedata.normalize("NFKC", raw or "").strip()
    by_label = {label: kind for kind, label in KINDS.items()}
    by_label.update({"気象": NoticeKind.WEATHER, "災害": NoticeKind.WEATHER, "気象災害": NoticeKind.WEATHER})
    kind = by_label.get(value) or next((k for k in NoticeKind if k.value == value.lower()), None)
    if kind is None:
        choices = "、".join(f"{label}（{k.value}）" for k, label in KINDS.items())
        errors["kind"] = f"種類は {choices} のどれかにしてください。"
    return kind


def _clean_text(raw: str | None, name: str, label: str, limit: int, errors: dict[str, str],
                single_line: bool = False) -> str:
    value = unicodedata.normalize("NFC", (raw or "").replace("\r\n", "\n")).strip()
    if not value:
        errors[name] = f"{label}を入力してください。"
    elif single_line and "\n" in value:
        errors[name] = f"{label}は1行で入力してください。"
    elif CONTROL_CHARS.search(value):
        errors[name] = f"{label}に使えない文字（制御文字）が含まれています。"
    elif utf16_length(value) > limit:
        errors[name] = f"{label}は{limit}文字以内にしてください（いま{utf16_length(value)}文字）。"
    return value


def _clean_url(raw: str | None, name: str, label: str, errors: dict[str, str], https_only: bool) -> str | None:
    value = (raw or "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    schemes = ("https",) if https_only else ("http", "https")
    if parts.scheme not in schemes or not parts.netloc or any(c.isspace() for c in value):
        errors[name] = f"{label}は {'https://' if https_only else 'http:// か https://'} で始まるURLにしてください。"
    elif len(value) > URL_MAX:
        errors[name] = f"{label}のURLは{URL_MAX}文字以内にしてください。"
    return value


def area_code(value: str) -> str | None:
    value = unicodedata.normalize("NFKC", value).strip().removesuffix("地域").removesuffix("町")
    by_label = {label: code for code, label in AREAS.items()}
    return value.lower() if value.lower() in AREAS else by_label.get(value) or AREA_ALIASES.get(value)


def interest_code(value: str) -> str | None:
    value = unicodedata.normalize("NFKC", value).strip()
    by_label = {unicodedata.normalize("NFKC", label): code for code, label in INTERESTS.items()}
    return value.lower() if value.lower() in INTERESTS else by_label.get(value)


def _parse_choices(raw: Iterable[str], name: str, label: str, to_code, known: Mapping[str, str],
                   errors: dict[str, str]) -> list[str]:
    codes, unknown = set(), []
    for value in raw or ():
        code = to_code(value)
        if code is None:
            unknown.append(value)
        else:
            codes.add(code)
    if unknown:
        choices = "、".join(f"{text}（{code}）" for code, text in known.items())
        errors[name] = f"{label}「{'」「'.join(unknown)}」はありません。{choices} から選んでください。"
    return [code for code in known if code in codes]


def _parse_send_at(raw: datetime | str | None, now: datetime, timezone: tzinfo,
                   errors: dict[str, str]) -> datetime | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return now
    if isinstance(raw, str):
        try:
            raw = datetime.fromisoformat(raw.strip())
        except ValueError:
            errors["send_at"] = "送信日時は 2026-12-01T09:00 のような形（ISO 8601）で指定してください。"
            return None
    when = raw if raw.tzinfo is not None else raw.replace(tzinfo=timezone)
    if when < now - PAST_TOLERANCE:
        errors["send_at"] = "送信日時が過ぎています。今すぐ送るときは空欄にしてください。"
    elif when > now + SCHEDULE_AHEAD_MAX:
        errors["send_at"] = "送信日時は1年以内にしてください。"
    return max(when, now)


def local_zone(settings: Settings) -> tzinfo:
    return ZoneInfo(settings.timezone)


# -- changing notices ----------------------------------------------------------------------------


def create_notice(session: Session, draft: NoticeDraft, actor: str, settings: Settings, now: datetime,
                  source: str = "console") -> Notice:
    """Validate and store a notice; the scheduler sends it when it is due (and approved)."""
    clean = draft.validate(now, local_zone(settings))
    notice = Notice(created_by=actor[:100], created_at=now, updated_at=now, source=source[:16], version=1)
    _apply(notice, clean, settings)
    session.add(notice)
    session.flush()
    audit.record(session, actor, "notice.create", target=str(notice.id), **_audit_details(notice))
    return notice


def update_notice(session: Session, notice_id: int, draft: NoticeDraft, actor: str, settings: Settings,
                  now: datetime, expected_version: int | None = None) -> Notice:
    """Change a notice that has not gone yet; an approved urgent notice needs approval again."""
    notice = _locked(session, notice_id)
    if notice.status not in EDITABLE:
        raise NoticeError(f"{STATUS_LABELS[notice.status]}のお知らせは編集できません。")
    if expected_version is not None and notice.version != expected_version:
        raise NoticeError("ほかの人が先に変更しました。画面を読み込み直してから編集してください。")
    clean = draft.validate(now, local_zone(settings))
    _apply(notice, clean, settings)
    notice.version += 1
    notice.updated_at = now
    audit.record(session, actor, "notice.update", target=str(notice.id), version=notice.version,
                 **_audit_details(notice))
    return notice


def approve_notice(session: Session, notice_id: int, actor: str, now: datetime) -> Notice:
    """A second person approves an urgent notice; it goes at its send time (or now if that passed)."""
    notice = _locked(session, notice_id)
    if notice.status is not NoticeStatus.AWAITING_APPROVAL:
        raise NoticeError(f"{STATUS_LABELS[notice.status]}のお知らせは承認できません。")
    if actor == notice.created_by:
        raise NoticeError("作成した人とは別の職員が承認してください。")
    notice.status = NoticeStatus.SCHEDULED
    notice.approved_by, notice.approved_at = actor[:100], now
    notice.due_at = max(notice.send_at, now)
    notice.updated_at = now
    audit.record(session, actor, "notice.approve", target=str(notice.id), version=notice.version)
    return notice


def cancel_notice(session: Session, notice_id: int, actor: str, now: datetime) -> Notice:
    """Stop a notice before it goes, or stop the rest of a held delivery (it stays on the feed)."""
    notice = _locked(session, notice_id)
    if notice.status not in EDITABLE | {NoticeStatus.HELD}:
        raise NoticeError(f"{STATUS_LABELS[notice.status]}のお知らせは中止できません。")
    stopped = _stop_delivery(session, notice.id, now)
    notice.status = NoticeStatus.CANCELLED
    notice.cancelled_by, notice.cancelled_at, notice.updated_at = actor[:100], now, now
    audit.record(session, actor, "notice.cancel", target=str(notice.id), unsent_recipients=stopped)
    return notice


def withdraw_notice(session: Session, notice_id: int, actor: str, reason: str, now: datetime) -> Notice:
    """取消: a published notice stays on the feed, marked as withdrawn with the correction."""
    notice = _locked(session, notice_id)
    if notice.published_at is None or notice.status is NoticeStatus.WITHDRAWN:
        raise NoticeError("公開されたお知らせだけを取り消せます。まだ送っていなければ「中止」してください。")
    reason = (reason or "").strip()
    if not reason:
        raise NoticeInvalid({"reason": "取り消しの理由（訂正の内容）を入力してください。"})
    if len(reason) > REASON_MAX:
        raise NoticeInvalid({"reason": f"理由は{REASON_MAX}文字以内にしてください。"})
    stopped = _stop_delivery(session, notice.id, now)
    for send in session.scalars(select(MailSend).where(MailSend.notice_id == notice.id,
                                                       MailSend.status == MailSendStatus.PENDING)):
        send.status = MailSendStatus.CANCELLED
    notice.status = NoticeStatus.WITHDRAWN
    notice.withdrawn_by, notice.withdrawn_at, notice.withdrawal_reason = actor[:100], now, reason
    notice.updated_at = now
    audit.record(session, actor, "notice.withdraw", target=str(notice.id), reason=reason, unsent_recipients=stopped)
    return notice


def resume_notice(session: Session, notice_id: int, actor: str, now: datetime) -> Notice:
    """Try a held delivery again (after the quota renewed, or the refusal was fixed)."""
    notice = _locked(session, notice_id)
    delivery = session.scalar(select(Delivery).where(Delivery.notice_id == notice.id))
    if notice.status is not NoticeStatus.HELD or delivery is None:
        raise NoticeError(f"{STATUS_LABELS[notice.status]}のお知らせは再開できません。")
    for batch in session.scalars(select(DeliveryBatch).where(DeliveryBatch.delivery_id == delivery.id,
                                                             DeliveryBatch.status == BatchStatus.REJECTED)):
        batch.status = BatchStatus.PENDING  # staff looked at the refusal: one more try, same retry key
    delivery.status, delivery.hold_reason = DeliveryStatus.SENDING, None
    notice.status, notice.status_reason, notice.updated_at = NoticeStatus.SENDING, None, now
    audit.record(session, actor, "notice.resume", target=str(notice.id))
    return notice


def _locked(session: Session, notice_id: int) -> Notice:
    notice = session.scalar(select(Notice).where(Notice.id == notice_id).with_for_update())
    if notice is None:
        raise NoticeNotFound(notice_id)
    return notice


def _apply(notice: Notice, clean: CleanDraft, settings: Settings) -> None:
    notice.kind, notice.title, notice.body = clean.kind, clean.title, clean.body
    notice.link_url, notice.image_url = clean.link_url, clean.image_url
    notice.areas, notice.interests = list(clean.areas), list(clean.interests)
    notice.send_at = notice.due_at = clean.send_at
    notice.requires_approval = settings.notice_approval_required and clean.kind in URGENT_KINDS
    notice.status = NoticeStatus.AWAITING_APPROVAL if notice.requires_approval else NoticeStatus.SCHEDULED
    notice.approved_by = notice.approved_at = None


def _stop_delivery(session: Session, notice_id: int, now: datetime) -> int:
    """Cancel the batches that have not gone; returns how many recipients they held."""
    delivery = session.scalar(select(Delivery).where(Delivery.notice_id == notice_id).with_for_update())
    if delivery is None or delivery.status in (DeliveryStatus.DONE, DeliveryStatus.CANCELLED):
        return 0
    unsent = 0
    for batch in session.scalars(select(DeliveryBatch).where(
            DeliveryBatch.delivery_id == delivery.id,
            DeliveryBatch.status.in_([BatchStatus.PENDING, BatchStatus.REJECTED]))):
        if batch.status is BatchStatus.PENDING:
            unsent += batch.recipients
            batch.status = BatchStatus.CANCELLED
    delivery.status, delivery.finished_at, delivery.claimed_by = DeliveryStatus.CANCELLED, now, None
    return unsent


def _audit_details(notice: Notice) -> dict[str, Any]:
    return {
        "kind": notice.kind.value, "title": notice.title, "areas": list(notice.areas),
        "interests": list(notice.interests), "send_at": notice.send_at.isoformat(),
        "status": notice.status.value,
    }


# -- reading notices -----------------------------------------------------------------------------


def get_notice(session: Session, notice_id: int) -> Notice:
    notice = session.get(Notice, notice_id)
    if notice is None:
        raise NoticeNotFound(notice_id)
    return notice


def list_notices(session: Session, statuses: Iterable[NoticeStatus] = (), limit: int = 50,
                 offset: int = 0) -> list[Notice]:
    """Notices for the staff list, the most recently changed first."""
    query = select(Notice).order_by(Notice.updated_at.desc(), Notice.id.desc()).limit(limit).offset(offset)
    statuses = list(statuses)
    if statuses:
        query = query.where(Notice.status.in_(statuses))
    return list(session.scalars(query))


def published_notices(session: Session, area: str | None = None, limit: int = 50) -> list[Notice]:
    """Notices that have gone out (withdrawn ones included), newest first; `area` keeps those for
    that area and the city-wide ones."""
    query = select(Notice).where(Notice.published_at.is_not(None)).order_by(
        Notice.published_at.desc(), Notice.id.desc())
    if area is None:
        return list(session.scalars(query.limit(limit)))
    found: list[Notice] = []
    for notice in session.scalars(query.execution_options(yield_per=100)):
        if not notice.areas or area in notice.areas:
            found.append(notice)
            if len(found) >= limit:
                break
    return found


def latest_for_area(session: Session, area: str | None, limit: int = 10) -> list[Notice]:
    """What 「お知らせ」 shows a resident: notices for their area and city-wide ones, newest first.
    Without an area, only city-wide ones."""
    query = select(Notice).where(Notice.published_at.is_not(None)).order_by(
        Notice.published_at.desc(), Notice.id.desc())
    found: list[Notice] = []
    for notice in session.scalars(query.limit(limit * 10)):
        if not notice.areas or (area is not None and area in notice.areas):
            found.append(notice)
            if len(found) >= limit:
                break
    return found


def content_of(notice: Notice) -> NoticeContent:
    """The plain values the message builders, feeds and e-mail show."""
    return NoticeContent(
        id=notice.id,
        kind=notice.kind.value,
        kind_label=KINDS[notice.kind],
        title=notice.title,
        body=notice.body,
        link_url=notice.link_url,
        image_url=notice.image_url,
        area_labels=tuple(AREAS[a] for a in notice.areas if a in AREAS),
        published_at=notice.published_at,
        updated_at=notice.withdrawn_at or notice.published_at or notice.updated_at,
        withdrawn=notice.status is NoticeStatus.WITHDRAWN,
        withdrawal_reason=notice.withdrawal_reason,
    )


def target_description(notice: Notice) -> str:
    """「全員」 or the areas and interests, for staff and e-mail."""
    parts = ["・".join(AREAS[a] for a in notice.areas) if notice.areas else "全地域"]
    if notice.interests:
        parts.append("・".join(INTERESTS[i] for i in notice.interests if i in INTERESTS))
    return "／".join(parts)


# -- recipients, quota and progress ------------------------------------------------------------


def estimate_recipients(session: Session, areas: Sequence[str] = (), interests: Sequence[str] = ()) -> int:
    """How many friends a notice with this target would reach if it went now."""
    if not areas and not interests:
        return session.scalar(select(func.count()).select_from(Friend).where(
            Friend.status == FriendStatus.FOLLOWING)) or 0
    if not interests:
        return session.scalar(select(func.count()).select_from(following_friends(areas).subquery())) or 0
    return sum(1 for _ in resolve_recipients(session, areas, interests))


def resolve_recipients(session: Session, areas: Sequence[str], interests: Sequence[str]) -> Iterator[str]:
    """LINE user ids of the friends a notice targets right now (following; blocked ones excluded)."""
    if not interests:
        yield from _user_ids(session, following_friends(areas).with_only_columns(Friend.line_user_id))
        return
    query = following_friends(areas).with_only_columns(Friend.line_user_id, Friend.interests)
    for part in session.connection().execute(query).partitions(RESOLVE_CHUNK):
        yield from (user_id for user_id, chosen in part if wants_any(_Chosen(chosen), interests))  # type: ignore[arg-type]


def _user_ids(session: Session, query: Select[Any]) -> Iterator[str]:
    """One column of plain strings, read with the driver's own cursor in the session's
    transaction: for 100,000 ids SQLAlchemy's row objects cost three to five times the query.
    The query holds only validated area codes and a status, rendered as SQL literals."""
    sql = str(query.compile(dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}))
    cursor = session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
        while part := cursor.fetchmany(RESOLVE_CHUNK):
            yield from (user_id for (user_id,) in part)
    finally:
        cursor.close()


@dataclass(frozen=True)
class _Chosen:
    """A friend's interests as `friends.wants_any` reads them, without loading the friend."""

    interests: list[str] | None


@dataclass(frozen=True)
class QuotaCheck:
    """Whether a notice fits in what is left of LINE's monthly message allowance."""

    needed: int
    remaining: int | None  # None: no monthly limit (or unknown, see `error`)
    error: str | None = None  # LINE could not be asked

    @property
    def fits(self) -> bool:
        return self.remaining is None or self.needed <= self.remaining


def quota_check(gateway: LineGateway, needed: int) -> QuotaCheck:
    """Ask LINE for the remaining monthly messages and compare (one message per recipient)."""
    from bot.line.gateway import LineApiError

    try:
        quota = gateway.quota()
    except LineApiError as exc:
        return QuotaCheck(needed, None, f"LINEに送信可能数を確認できませんでした（{exc.status}）。")
    return QuotaCheck(needed, quota.remaining)


def recipients_needed(session: Session, notice: Notice) -> int:
    """Messages this notice will still use: the recipients not yet sent, or the estimate."""
    delivery = session.scalar(select(Delivery).where(Delivery.notice_id == notice.id))
    if delivery is None:
        if notice.status in (NoticeStatus.CANCELLED, NoticeStatus.EXPIRED, NoticeStatus.WITHDRAWN):
            return 0
        return estimate_recipients(session, notice.areas, notice.interests)
    return progress(session, notice.id).pending


@dataclass(frozen=True)
class NoticeProgress:
    """Where a notice's LINE delivery stands, for the console's progress bar and the CLI."""

    notice_id: int
    status: NoticeStatus
    targets: int
    sent: int
    failed: int
    pending: int
    cancelled: int
    reason: str | None
    planned: bool  # recipients resolved (else `targets` is an estimate)

    @property
    def public_status(self) -> str:
        return PUBLIC_STATUS[self.status]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def fraction(self) -> float:
        """Share of recipients settled (sent or failed), 0.0 to 1.0."""
        if not self.planned:
            return 0.0
        if self.targets == 0:
            return 1.0
        return min((self.sent + self.failed) / self.targets, 1.0)

    def as_json(self) -> dict[str, Any]:
        """What `notice status --json` prints."""
        return {"status": self.public_status, "targets": self.targets, "sent": self.sent, "failed": self.failed}


def progress(session: Session, notice_id: int) -> NoticeProgress:
    notice = get_notice(session, notice_id)
    delivery = session.scalar(select(Delivery).where(Delivery.notice_id == notice_id))
    reason = notice.status_reason or (notice.withdrawal_reason if notice.status is NoticeStatus.WITHDRAWN else None)
    if delivery is None:
        unplanned = notice.status in EDITABLE
        targets = estimate_recipients(session, notice.areas, notice.interests) if unplanned else 0
        return NoticeProgress(notice.id, notice.status, targets, 0, 0, 0, 0, reason, planned=False)
    by_status = dict(session.execute(
        select(DeliveryBatch.status, func.coalesce(func.sum(DeliveryBatch.recipients), 0))
        .where(DeliveryBatch.delivery_id == delivery.id).group_by(DeliveryBatch.status)).all())
    return NoticeProgress(
        notice.id, notice.status, delivery.targets,
        sent=int(by_status.get(BatchStatus.SENT, 0)),
        failed=int(by_status.get(BatchStatus.REJECTED, 0)) + int(by_status.get(BatchStatus.ABANDONED, 0)),
        pending=int(by_status.get(BatchStatus.PENDING, 0)),
        cancelled=int(by_status.get(BatchStatus.CANCELLED, 0)),
        reason=reason or delivery.hold_reason,
        planned=True,
    )
