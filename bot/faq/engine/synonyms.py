"""Synonyms and abbreviations, kept as data in content/faq/synonyms.tsv.

Each line is a group of words that residents use for the same thing:
`canonical<TAB>variant|variant|...`. When any member of a group occurs in a text
(written the same way, or with the same reading), the canonical word is added to
that text, so that こくほ, 国保 and 国民健康保険 all meet on 国民健康保険.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.faq.engine.normalize import normalize

DEFAULT_SYNONYMS_PATH = Path(__file__).resolve().parents[3] / "content" / "faq" / "synonyms.tsv"
MIN_READING_MATCH = 3  # shorter readings match by accident inside other words
MIN_READING_IN_READING = 4


@dataclass(frozen=True)
class SynonymGroup:
    """A canonical word and the other ways of writing or saying it."""

    canonical: str
    variants: tuple[str, ...]


def parse_synonyms(lines: list[str]) -> list[SynonymGroup]:
    """Parse TSV lines; blank lines and lines starting with '#' are ignored."""
    groups = []
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        canonical, _, rest = line.partition("\t")
        variants = tuple(v.strip() for v in rest.split("|") if v.strip())
        groups.append(SynonymGroup(canonical.strip(), variants))
    return groups


def load_synonyms(path: str | Path = DEFAULT_SYNONYMS_PATH) -> list[SynonymGroup]:
    """Read synonym groups from a TSV file."""
    with open(path, encoding="utf-8") as handle:
        return parse_synonyms(handle.read().splitlines())


class SynonymMatcher:
    """Finds group members in a normalised text, or in the reading of a question.

    A member matches the written text by its spelling or, when it is at least
    three kana long, by its reading (so こくほ finds 国保). Matching the reading of
    a question finds kanji typed with the wrong characters (暗唱番号 → 暗証番号);
    there only readings of four kana or more count, since shorter ones turn up
    inside unrelated words (はたけが contains けが).
    """

    def __init__(self, groups: list[SynonymGroup], reading_of) -> None:
        self._by_form: dict[str, set[str]] = {}
        reading_forms: set[str] = set()
        for group in groups:
            for member in (group.canonical, *group.variants):
                form = normalize(member)
                if form:
                    self._by_form.setdefault(form, set()).add(group.canonical)
                reading = reading_of(member)
                if len(reading) >= MIN_READING_MATCH and reading != form:
                    self._by_form.setdefault(reading, set()).add(group.canonical)
                if len(reading) >= MIN_READING_IN_READING:
                    reading_forms.add(reading)
        self._surface_pattern = trie_pattern(self._by_form)
        self._reading_pattern = trie_pattern(reading_forms)

    def canonicals(self, surface: str, reading: str = "") -> list[str]:
        """Canonical words of every group with a member in the text (or its reading)."""
        return list(dict.fromkeys(canonical for canonical, _ in self.matches(surface, reading)))

    def matches(self, surface: str, reading: str = "") -> list[tuple[str, str]]:
        """(canonical word, member as found) for each member in the text or its reading.

        Matches left to right, longest member first, so that 携帯電話 is read as one
        word rather than as 携帯.
        """
        found: list[tuple[str, str]] = []
        for pattern, text in ((self._surface_pattern, surface), (self._reading_pattern, reading)):
            if pattern is None or not text:
                continue
            for match in pattern.finditer(text):
                for canonical in sorted(self._by_form.get(match.group(), ())):
                    found.append((canonical, match.group()))
        return found


def trie_pattern(words) -> re.Pattern | None:
    """One regular expression matching any of the words, built as a prefix tree.

    A flat alternation of a thousand words is tried word by word at every
    position; the tree shares prefixes and prefers the longest match.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True
    return re.compile(_node_pattern(trie)) if trie else None


def _node_pattern(node: dict) -> str:
    branches = [re.escape(ch) + _node_pattern(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:  # a word may end here: the longer continuation is optional
        return "(?:" + body + ")?"
    return body
