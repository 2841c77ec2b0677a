"""Search FAQ entries for a resident's question and decide how sure we are.

`FaqIndex.build(entries)` indexes the published entries; `index.search(text)`
returns the five best entries with scores between 0 and 1, and a decision:

- ``answer``: one entry fits clearly, send its answer;
- ``suggest``: a few entries fit about equally, offer them as 「もしかして」 buttons;
- ``none``: nothing fits, say so honestly (a wrong answer is worse).

The score of an entry is the share of the question's information (inverse
document frequency) that the entry covers, blended with the share of the entry's
own question that the resident's words cover, averaged over three channels
(written n-grams, reading n-grams, dictionary forms). See docs/FAQ-SEARCH.md.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from bot.faq.analyzer import Analyzer, get_analyzer
from bot.faq.entries import FaqEntry
from bot.faq.synonyms import SynonymGroup, load_synonyms
from bot.faq.terms import CHANNELS, TermExtractor, TermOptions

TOP_K = 5


class Decision(StrEnum):
    """What the bot should do with a search result."""

    ANSWER = "answer"
    SUGGEST = "suggest"
    NONE = "none"


@dataclass(frozen=True)
class Hit:
    """One matching entry and how well it matches (0..1)."""

    entry_id: str
    score: float


@dataclass(frozen=True)
class SearchResult:
    """The decision and the best entries, best first."""

    decision: Decision
    hits: list[Hit]


@dataclass(frozen=True)
class SearchParams:
    """Weights and thresholds; the defaults were tuned on both halves of the dev set."""

    channel_weights: dict[str, float] = field(
        default_factory=lambda: {"sur": 1.0, "rd": 1.0, "lem": 0.5}
    )
    field_weights: dict[str, float] = field(
        default_factory=lambda: {
            "question": 1.0, "alt": 1.0, "keywords": 0.9, "category": 0.4, "answer": 0.35,
        }
    )
    precision_weight: float = 0.3   # share of the entry's own question covered
    unseen_weight: float = 0.5      # idf factor for query terms no entry contains
    answer_score: float = 0.45      # top score needed to answer
    answer_margin: float = 0.08     # lead over the runner-up needed to answer
    suggest_score: float = 0.30     # top score needed to suggest anything
    suggest_ratio: float = 0.80     # runner-ups within this share of the top are offered


@dataclass
class ChannelIndex:
    """Inverted index of one channel."""

    postings: dict[str, dict[int, float]] = field(default_factory=dict)
    title_postings: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    idf: dict[str, float] = field(default_factory=dict)
    title_mass: dict[tuple[int, int], float] = field(default_factory=dict)
    unseen_idf: float = 1.0


class FaqIndex:
    """An in-memory search index over published FAQ entries."""

    def __init__(self, entries, extractor, channels, params) -> None:
        self.entries: list[FaqEntry] = entries
        self.extractor: TermExtractor = extractor
        self.channels: dict[str, ChannelIndex] = channels
        self.params: SearchParams = params

    @classmethod
    def build(
        cls,
        entries: list[FaqEntry],
        *,
        synonyms: list[SynonymGroup] | None = None,
        analyzer: Analyzer | None = None,
        params: SearchParams | None = None,
        options: TermOptions | None = None,
    ) -> "FaqIndex":
        """Index the published entries (cheap enough to rebuild on every FAQ edit)."""
        params = params or SearchParams()
        extractor = TermExtractor(
            analyzer or get_analyzer(),
            load_synonyms() if synonyms is None else synonyms,
            options or TermOptions(),
        )
        published = [e for e in entries if e.published]
        channels = {name: ChannelIndex() for name in CHANNELS}
        for doc, entry in enumerate(published):
            add_entry(channels, doc, entry, extractor, params.field_weights)
        for channel in channels.values():
            finish_channel(channel, len(published))
        return cls(published, extractor, channels, params)

    def search(self, query: str) -> SearchResult:
        """Rank entries for a question and decide whether to answer, suggest or not."""
        scores = self.score(query)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:TOP_K]
        hits = [Hit(self.entries[doc].id, round(score, 4)) for doc, score in ranked]
        return SearchResult(decide(hits, self.params), hits)

    def score(self, query: str) -> dict[int, float]:
        """Blend of coverage and precision per entry, over all channels (0..1)."""
        query_terms = self.extractor.terms(query)
        weights = self.params.channel_weights
        total_weight = sum(weights.values())
        scores: dict[int, float] = defaultdict(float)
        for name, channel in self.channels.items():
            share = weights.get(name, 0.0) / total_weight
            if share:
                for doc, value in channel_scores(channel, query_terms[name], self.params).items():
                    scores[doc] += share * value
        return scores


def entry_fields(entry: FaqEntry) -> list[tuple[str, str, int | None]]:
    """(field name, text, title number) of each searchable part of an entry."""
    fields = [("question", entry.question, 0), ("keywords", " ".join(entry.keywords), 0)]
    fields += [("alt", alt, number) for number, alt in enumerate(entry.alt_questions, start=1)]
    fields += [("category", entry.category, None), ("answer", entry.answer, None)]
    return fields


def add_entry(channels, doc, entry, extractor, field_weights) -> None:
    """Add one entry's terms to every channel's postings."""
    for name, text, title in entry_fields(entry):
        if not text:
            continue
        weight = field_weights[name]
        for channel_name, terms in extractor.terms(text).items():
            channel = channels[channel_name]
            for term in terms:
                doc_weights = channel.postings.setdefault(term, {})
                doc_weights[doc] = max(doc_weights.get(doc, 0.0), weight)
                if title is not None:
                    channel.title_postings.setdefault(term, []).append((doc, title))


def finish_channel(channel: ChannelIndex, n_docs: int) -> None:
    """Compute idf and the information mass of every title once all entries are in."""
    for term, doc_weights in channel.postings.items():
        df = len(doc_weights)
        channel.idf[term] = math.log(1 + (n_docs - df + 0.5) / (df + 0.5))
    channel.unseen_idf = math.log(1 + (n_docs + 0.5) / 0.5)
    for term, titles in channel.title_postings.items():
        unique = set(titles)
        channel.title_postings[term] = sorted(unique)
        for key in unique:
            channel.title_mass[key] = channel.title_mass.get(key, 0.0) + channel.idf[term]


def channel_scores(channel: ChannelIndex, terms: set[str], params: SearchParams) -> dict[int, float]:
    """Coverage of the query by each entry, blended with precision on its titles."""
    if not terms:
        return {}
    total = 0.0
    coverage: dict[int, float] = defaultdict(float)
    overlap: dict[tuple[int, int], float] = defaultdict(float)
    for term in terms:
        idf = channel.idf.get(term)
        if idf is None:
            total += channel.unseen_idf * params.unseen_weight
            continue
        total += idf
        for doc, weight in channel.postings[term].items():
            coverage[doc] += idf * weight
        for key in channel.title_postings.get(term, ()):
            overlap[key] += idf
    precision: dict[int, float] = defaultdict(float)
    for key, value in overlap.items():
        doc = key[0]
        precision[doc] = max(precision[doc], value / channel.title_mass[key])
    beta = params.precision_weight
    return {
        doc: (1 - beta) * coverage[doc] / total + beta * precision.get(doc, 0.0)
        for doc in coverage
    }


def decide(hits: list[Hit], params: SearchParams) -> Decision:
    """Answer when the best entry is good and clearly ahead, suggest when close."""
    if not hits or hits[0].score < params.suggest_score:
        return Decision.NONE
    runner_up = hits[1].score if len(hits) > 1 else 0.0
    if hits[0].score >= params.answer_score and hits[0].score - runner_up >= params.answer_margin:
        return Decision.ANSWER
    return Decision.SUGGEST
