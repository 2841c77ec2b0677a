"""A life event's decision tree, declared as data:

    questions: [{key, text, when?, choices: [{key, label}]}]   # 1 to 4, asked in order
    procedures: [{key, when?}]                                 # the checklist, in order

A `when` is `{question_key: [choice_key, ...]}`: it holds when every named question was answered
with one of the listed choices. A question whose `when` does not hold is skipped; a procedure
whose `when` holds is on the checklist. Pure: no database."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MAX_QUESTIONS = 4
KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


class TreeInvalid(ValueError):
    """The tree's data is wrong; the message says where, in Japanese for staff."""


@dataclass(frozen=True)
class Choice:
    key: str
    label: str


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    choices: tuple[Choice, ...]
    when: Mapping[str, tuple[str, ...]]

    def choice(self, key: str) -> Choice | None:
        return next((c for c in self.choices if c.key == key), None)


@dataclass(frozen=True)
class Step:
    procedure: str
    when: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Tree:
    questions: tuple[Question, ...]
    steps: tuple[Step, ...]

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)

    def next_question(self, answers: Mapping[str, str]) -> Question | None:
        """The first question not answered yet whose `when` holds; None when all are done."""
        return next((q for q in self.questions if q.key not in answers and holds(q.when, answers)), None)

    def procedures(self, answers: Mapping[str, str]) -> list[str]:
        """The procedure keys on the checklist for these answers, in order, each once."""
        return list(dict.fromkeys(step.procedure for step in self.steps if holds(step.when, answers)))

    def valid_answers(self, answers: Mapping[str, str]) -> dict[str, str]:
        """Only the answers that name a known question and one of its choices."""
        return {key: value for key, value in answers.items()
                if (question := self.question(key)) is not None and question.choice(value) is not None}


def holds(when: Mapping[str, Sequence[str]], answers: Mapping[str, str]) -> bool:
    return all(answers.get(key) in allowed for key, allowed in when.items())


def _key(value: Any, where: str) -> str:
    key = str(value or "")
    if not key or not set(key) <= KEY_CHARS or len(key) > 32:
        raise TreeInvalid(f"{where}：キー「{key}」は半角の英小文字・数字・_（32文字まで）で書いてください。")
    return key


def _when(raw: Any, known: Mapping[str, Question], where: str) -> dict[str, tuple[str, ...]]:
    if raw in (None, {}):
        return {}
    if not isinstance(raw, Mapping):
        raise TreeInvalid(f"{where}：when は「質問のキー: [選択肢のキー, ...]」の形で書いてください。")
    when: dict[str, tuple[str, ...]] = {}
    for key, allowed in raw.items():
        question = known.get(str(key))
        if question is None:
            raise TreeInvalid(f"{where}：when の質問「{key}」は、これより前にありません。")
        values = tuple(str(v) for v in (allowed if isinstance(allowed, list) else [allowed]))
        unknown = [v for v in values if question.choice(v) is None]
        if unknown or not values:
            raise TreeInvalid(f"{where}：質問「{key}」に選択肢「{'、'.join(unknown)}」はありません。")
        when[str(key)] = values
    return when


def _question(raw: Any, number: int, known: dict[str, Question]) -> Question:
    where = f"質問{number}"
    if not isinstance(raw, Mapping):
        raise TreeInvalid(f"{where}：key、text、choices を書いてください。")
    key = _key(raw.get("key"), where)
    if key in known:
        raise TreeInvalid(f"{where}：キー「{key}」が重複しています。")
    text = str(raw.get("text") or "").strip()
    raw_choices = raw.get("choices") or []
    if not text or not isinstance(raw_choices, list) or not 2 <= len(raw_choices) <= 12:
        raise TreeInvalid(f"{where}：質問の文と、2〜12個の選択肢が必要です。")
    choices = tuple(Choice(_key(c.get("key") if isinstance(c, Mapping) else None, where),
                           str(c.get("label") or "").strip()) for c in raw_choices)
    if any(not c.label or len(c.label) > 20 for c in choices) or len({c.key for c in choices}) != len(choices):
        raise TreeInvalid(f"{where}：選択肢の表示（20文字まで）とキー（重複なし）を確かめてください。")
    return Question(key, text, choices, _when(raw.get("when"), known, where))


def parse_tree(raw: Any, known_procedures: frozenset[str] | None = None) -> Tree:
    """The tree in `raw` (as stored or as YAML gives it); TreeInvalid when it is wrong."""
    if not isinstance(raw, Mapping):
        raise TreeInvalid("questions と procedures を書いてください。")
    raw_questions = raw.get("questions") or []
    if not isinstance(raw_questions, list) or not 1 <= len(raw_questions) <= MAX_QUESTIONS:
        raise TreeInvalid(f"質問は1〜{MAX_QUESTIONS}個にしてください。")
    known: dict[str, Question] = {}
    for number, item in enumerate(raw_questions, start=1):
        question = _question(item, number, known)
        known[question.key] = question
    raw_steps = raw.get("procedures") or []
    if not isinstance(raw_steps, list) or not raw_steps:
        raise TreeInvalid("procedures に手続きを1つ以上書いてください。")
    steps = []
    for number, item in enumerate(raw_steps, start=1):
        where = f"手続き{number}"
        key = _key(item.get("key") if isinstance(item, Mapping) else item, where)
        if known_procedures is not None and key not in known_procedures:
            raise TreeInvalid(f"{where}：手続き「{key}」は登録されていません。")
        steps.append(Step(key, _when(item.get("when") if isinstance(item, Mapping) else None, known, where)))
    return Tree(tuple(known.values()), tuple(steps))


def tree_data(tree: Tree) -> dict[str, Any]:
    """The tree as stored (JSON) and as staff edit it (YAML)."""
    def when(value: Mapping[str, tuple[str, ...]]) -> dict[str, list[str]]:
        return {key: list(allowed) for key, allowed in value.items()}

    questions = [{"key": q.key, "text": q.text, **({"when": when(q.when)} if q.when else {}),
                  "choices": [{"key": c.key, "label": c.label} for c in q.choices]} for q in tree.questions]
    steps = [{"key": s.procedure, **({"when": when(s.when)} if s.when else {})} for s in tree.steps]
    return {"questions": questions, "procedures": steps}
