"""Cues that a question is not about this city's services, from general data.

Three lists in content/faq/scope/ (see its README): other municipalities, national and
prefectural offices (and the procedures they run), private businesses. They are features of
the calibrated decision, not rules: a question may name a place it moves from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.faq.engine.normalize import normalize
from bot.faq.engine.synonyms import trie_pattern

SCOPE_DIR = Path(__file__).resolve().parents[3] / "content" / "faq" / "scope"
KINDS = ("municipalities", "offices", "businesses")
# A place followed by these is where someone moves from or to, not whose service is asked about.
MOVING_AFTER = ("から", "へ", "に")


def read_list(path: Path) -> list[str]:
    """Non-empty lines that are not comments."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@dataclass(frozen=True)
class ScopeCues:
    """Which kinds of out-of-scope cue a question contains, and the words found."""

    place: tuple[str, ...] = ()
    office: tuple[str, ...] = ()
    business: tuple[str, ...] = ()


class ScopeMatcher:
    """Finds the cue words of the three lists in a question."""

    def __init__(self, lists: dict[str, list[str]]) -> None:
        self._patterns = {
            kind: trie_pattern({normalize(word).replace(" ", "") for word in lists.get(kind, []) if word})
            for kind in KINDS
        }

    @classmethod
    def load(cls, directory: Path = SCOPE_DIR) -> "ScopeMatcher":
        return cls({kind: read_list(directory / f"{kind}.txt") for kind in KINDS if (directory / f"{kind}.txt").exists()})

    def cues(self, question: str) -> ScopeCues:
        text = normalize(question).replace(" ", "")
        found = {kind: self._find(kind, text) for kind in KINDS}
        return ScopeCues(found["municipalities"], found["offices"], found["businesses"])

    def _find(self, kind: str, text: str) -> tuple[str, ...]:
        pattern = self._patterns[kind]
        if pattern is None:
            return ()
        words = []
        for match in pattern.finditer(text):
            if kind == "municipalities" and text.startswith(MOVING_AFTER, match.end()):
                continue
            words.append(match.group())
        return tuple(dict.fromkeys(words))


_default: ScopeMatcher | None = None


def get_scope() -> ScopeMatcher:
    """The process-wide matcher of the lists in content/faq/scope/ (read once)."""
    global _default
    if _default is None:
        _default = ScopeMatcher.load()
    return _default
