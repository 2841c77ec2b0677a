"""FAQ entries in the database: what staff create, edit, publish and check, and the content
version that tells every web worker its search index is out of date.

Every change goes through this module, in the caller's transaction, and bumps the version
first: on PostgreSQL that row lock also queues two writers, so new ids never collide."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.db import utcnow
from bot.faq.engine.corpus import FaqEntry
from bot.models import FaqContentVersion, FaqEntryRecord

ID_PREFIX = "FAQ-"
ID_DIGITS = 4
VERSION_ROW = 1
QUESTION_MAX = 200
ANSWER_MAX = 400  # plain LINE answers; longer texts belong on the city's web page (url)
PHRASING_MAX = 200
PHRASINGS_MAX = 30
KEYWORD_MAX = 40
KEYWORDS_MAX = 12
CATEGORY_MAX = 64
DEPARTMENT_MAX = 100
URL_MAX = 500
ID_PATTERN = re.compile(r"^FAQ-(\d{4,})$")
LIST_SPLIT = re.compile(r"[\n\r|、,，]+")
# The categories of the seed corpus (content/faq/README.md); staff may add others.
STANDARD_CATEGORIES = (
    "戸籍・住民票", "マイナンバー", "税金", "国民健康保険・年金", "福祉・介護", "子育て・教育", "ごみ・環境",
    "防災・安全", "上下水道・住まい", "施設・観光", "スマホ教室・デジタル", "市役所・手続き全般", "交通・道路",
    "健康・医療",
)


class EntryInvalid(ValueError):
    """The draft cannot be saved; `errors` maps each field to what staff should fix."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {value}" for key, value in errors.items()))
        self.errors = errors


class EntryOutdated(RuntimeError):
    """Someone else saved the entry after this form was opened."""


@dataclass
class EntryDraft:
    """What a staff member typed for one entry."""

    question: str
    answer: str
    category: str = ""
    department: str = ""
    url: str = ""
    keywords: list[str] = field(default_factory=list)
    alt_questions: list[str] = field(default_factory=list)
    published: bool = True

    @classmethod
    def of(cls, record: FaqEntryRecord) -> EntryDraft:
        return cls(record.question, record.answer, record.category, record.department, record.url,
                   list(record.keywords or []), list(record.alt_questions or []), record.published)

    def cleaned(self) -> EntryDraft:
        """Trimmed, empty and repeated list items dropped."""
        return EntryDraft(
            question=" ".join(self.question.split()),
            answer=self.answer.replace("\r\n", "\n").strip(),
            category=self.category.strip(),
            department=self.department.strip(),
            url=self.url.strip(),
            keywords=unique(" ".join(k.split()) for k in self.keywords),
            alt_questions=unique(" ".join(q.split()) for q in self.alt_questions),
            published=self.published,
        )


def unique(items) -> list[str]:
    """Non-empty items, each once, in their first order."""
    return list(dict.fromkeys(item for item in items if item))


def split_items(text: str) -> list[str]:
    """Keywords or phrasings typed one per line (or separated by 、 , |)."""
    return unique(part.strip() for part in LIST_SPLIT.split(text or ""))


def validate(draft: EntryDraft) -> EntryDraft:
    """The cleaned draft, or EntryInvalid with a Japanese message per field."""
    draft = draft.cleaned()
    errors: dict[str, str] = {}
    if not draft.question:
        errors["question"] = "質問を入力してください。"
    elif len(draft.question) > QUESTION_MAX:
        errors["question"] = f"質問は{QUESTION_MAX}文字以内にしてください。"
    if not draft.answer:
        errors["answer"] = "回答を入力してください。"
    elif len(draft.answer) > ANSWER_MAX:
        errors["answer"] = (f"回答は{ANSWER_MAX}文字以内にしてください（いま{len(draft.answer)}文字）。"
                            "詳しい説明は市のページに載せ、参照URLに入れてください。")
    if len(draft.category) > CATEGORY_MAX:
        errors["category"] = f"分類は{CATEGORY_MAX}文字以内にしてください。"
    if not draft.department:
        errors["department"] = "担当課を入力してください（回答の下に表示します）。"
    elif len(draft.department) > DEPARTMENT_MAX:
        errors["department"] = f"担当課は{DEPARTMENT_MAX}文字以内にしてください。"
    if draft.url and (not re.match(r"^https?://[^\s]+$", draft.url) or len(draft.url) > URL_MAX):
        errors["url"] = "参照URLは https:// で始まるアドレスを入力してください（空でもかまいません）。"
    if len(draft.alt_questions) > PHRASINGS_MAX or any(len(q) > PHRASING_MAX for q in draft.alt_questions):
        errors["alt_questions"] = f"別の聞き方は{PHRASINGS_MAX}個まで、1つ{PHRASING_MAX}文字以内にしてください。"
    if len(draft.keywords) > KEYWORDS_MAX or any(len(k) > KEYWORD_MAX for k in draft.keywords):
        errors["keywords"] = f"キーワードは{KEYWORDS_MAX}個まで、1つ{KEYWORD_MAX}文字以内にしてください。"
    if errors:
        raise EntryInvalid(errors)
    return draft


# ---- the content version ----------------------------------------------------------------------


def content_version(session: Session) -> int:
    """The current version of the FAQ content (0 before anything was stored)."""
    return session.scalar(select(FaqContentVersion.version).where(FaqContentVersion.id == VERSION_ROW)) or 0


def bump_version(session: Session, now: datetime | None = None) -> None:
    """Mark the content as changed (and, on PostgreSQL, hold the FAQ writers' lock until commit)."""
    now = now or utcnow()
    bumped = session.execute(
        update(FaqContentVersion).where(FaqContentVersion.id == VERSION_ROW)
        .values(version=FaqContentVersion.version + 1, changed_at=now)
    )
    if not bumped.rowcount:  # type: ignore[attr-defined]
        session.add(FaqContentVersion(id=VERSION_ROW, version=1, changed_at=now))
        session.flush()


# ---- reading ----------------------------------------------------------------------------------


def as_search_entry(record: FaqEntryRecord) -> FaqEntry:
    """The plain value the search engine indexes."""
    return FaqEntry(
        id=record.id, category=record.category, question=record.question, answer=record.answer,
        department=record.department, url=record.url, keywords=list(record.keywords or []),
        alt_questions=list(record.alt_questions or []), published=record.published,
    )


def all_records(session: Session) -> list[FaqEntryRecord]:
    return list(session.scalars(select(FaqEntryRecord).order_by(FaqEntryRecord.id)))


def load_entries(session: Session) -> list[FaqEntry]:
    """Every entry as a search entry (the index keeps the published ones)."""
    return [as_search_entry(record) for record in all_records(session)]


def id_number(entry_id: str) -> int | None:
    match = ID_PATTERN.match(entry_id)
    return int(match.group(1)) if match else None


def next_entry_id(session: Session) -> str:
    """The id after the highest one (FAQ-0131 after FAQ-0130); ids are never reused."""
    numbers = [id_number(entry_id) for entry_id in session.scalars(select(FaqEntryRecord.id))]
    highest = max((n for n in numbers if n is not None), default=0)
    return f"{ID_PREFIX}{highest + 1:0{ID_DIGITS}d}"


# ---- changing ---------------------------------------------------------------------------------


def create_entry(session: Session, draft: EntryDraft, now: datetime | None = None) -> FaqEntryRecord:
    """A new entry with the next id (staff-written: not sample content)."""
    draft, now = validate(draft), now or utcnow()
    bump_version(session, now)
    record = FaqEntryRecord(id=next_entry_id(session), created_at=now, updated_at=now, sample=False, revision=1)
    _apply(record, draft)
    session.add(record)
    session.flush()
    return record


def update_entry(session: Session, record: FaqEntryRecord, draft: EntryDraft, revision: int | None = None,
                 now: datetime | None = None) -> bool:
    """Save staff's changes; False when nothing changed. `revision` is the one the form showed."""
    draft = validate(draft)
    if revision is not None and revision != record.revision:
        raise EntryOutdated(record.id)
    if draft == EntryDraft.of(record):
        return False
    _touch(session, record, now)
    _apply(record, draft)
    return True


def mark_verified(session: Session, record: FaqEntryRecord, checked_by: str, today: date) -> None:
    """「内容を確認済みにする」: the city checked this entry today."""
    record.verified_on = today
    record.verified_by = checked_by[:100]
    record.sample = False
    record.revision += 1


def add_phrasing(session: Session, record: FaqEntryRecord, phrasing: str, now: datetime | None = None) -> bool:
    """Add one alternative phrasing (a question residents asked); False when it is already there."""
    phrasing = " ".join(phrasing.split())
    known = {" ".join(q.split()) for q in [record.question, *(record.alt_questions or [])]}
    if not phrasing or phrasing in known:
        return False
    draft = EntryDraft.of(record)
    draft.alt_questions.append(phrasing)
    validate(draft)
    _touch(session, record, now)
    record.alt_questions = draft.alt_questions
    return True


def _touch(session: Session, record: FaqEntryRecord, now: datetime | None) -> None:
    now = now or utcnow()
    bump_version(session, now)
    record.updated_at = now
    record.revision += 1


def _apply(record: FaqEntryRecord, draft: EntryDraft) -> None:
    record.question, record.answer = draft.question, draft.answer
    record.category, record.department, record.url = draft.category, draft.department, draft.url
    record.keywords, record.alt_questions = list(draft.keywords), list(draft.alt_questions)
    record.published = draft.published
