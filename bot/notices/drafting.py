"""Writing a notice: what staff (or another system) typed, checked field by field, then created
or edited. A notice is composed once (kind, title, body, link, image, target, send time) and then
sent by the scheduler to LINE, the website feed and e-mail.

The LINE handlers, the console, the `/api/notices` endpoint and the command line call these
functions with a session and plain values; the caller owns the transaction. Every change writes
an audit entry.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot import audit
from bot.config import Settings
from bot.friends import AREAS, INTERESTS
from bot.models import Notice, NoticeKind, NoticeStatus
from bot.notices.errors import NoticeError, NoticeInvalid
from bot.notices.lifecycle import EDITABLE, STATUS_LABELS, lock_notice
from bot.notices.targeting import KINDS, URGENT_KINDS, area_code, interest_code
from messages.text import utf16_length

TITLE_MAX = 100
BODY_MAX = 4000  # UTF-16 code units: the whole body always fits one LINE text message
URL_MAX = 1000
SCHEDULE_AHEAD_MAX = timedelta(days=366)
PAST_TOLERANCE = timedelta(minutes=5)  # "now" typed a little late is still now
# Never in any text: C0/C1 controls other than a body's newline and tab, and lone surrogates
# (they cannot be stored or sent). Never in a one-line text (a title becomes an e-mail Subject):
# also CR, LF, tab and the Unicode line/paragraph separators.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
LINE_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]")


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
    elif single_line and LINE_BREAKS.search(value):
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
    if parts.scheme not in schemes or not parts.netloc or any(c.isspace() for c in value) \
            or CONTROL_CHARS.search(value):
        errors[name] = f"{label}は {'https://' if https_only else 'http:// か https://'} で始まるURLにしてください。"
    elif len(value) > URL_MAX:
        errors[name] = f"{label}のURLは{URL_MAX}文字以内にしてください。"
    return value


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


# -- creating and editing ----------------------------------------------------------------------


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
    notice = lock_notice(session, notice_id)
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


def _apply(notice: Notice, clean: CleanDraft, settings: Settings) -> None:
    notice.kind, notice.title, notice.body = clean.kind, clean.title, clean.body
    notice.link_url, notice.image_url = clean.link_url, clean.image_url
    notice.areas, notice.interests = list(clean.areas), list(clean.interests)
    notice.send_at = notice.due_at = clean.send_at
    notice.requires_approval = settings.notice_approval_required and clean.kind in URGENT_KINDS
    notice.status = NoticeStatus.AWAITING_APPROVAL if notice.requires_approval else NoticeStatus.SCHEDULED
    notice.approved_by = notice.approved_at = None


def _audit_details(notice: Notice) -> dict[str, Any]:
    return {
        "kind": notice.kind.value, "title": notice.title, "areas": list(notice.areas),
        "interests": list(notice.interests), "send_at": notice.send_at.isoformat(),
        "status": notice.status.value,
    }
