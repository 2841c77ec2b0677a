"""Turn a text into the search terms the index compares.

Three channels describe a text, each as a set of terms:

- ``sur``: character n-grams of the written words (kana unified), robust to
  inflection and to a wrong character here and there;
- ``rd``: n-grams of the hiragana reading with voicing marks dropped, so that
  a hiragana-only question or a wrongly converted kanji still meets the entry;
- ``lem``: dictionary forms of the content words.

Only content words count (nouns, verbs, adjectives...): particles and politeness
differ between residents and say nothing about the topic.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.faq.engine.analyzer import Analyzer, Token
from bot.faq.engine.normalize import fold_sounds, normalize
from bot.faq.engine.synonyms import SynonymGroup, SynonymMatcher

CHANNELS = ("sur", "rd", "lem")
# A chunk written only in kana is kept whole: analysers cut hiragana-only text badly
# (としょかん becomes と/しょ/か/ん), while its reading is simply itself.
KANA_CHUNK = re.compile(r"[\u3041-\u3096\u30a1-\u30faー]+")
KANA_TEXT = re.compile(r"[\u3041-\u3096]+")  # normalised kana (katakana became hiragana)
# Every question is about the city: its name alone says nothing about the topic
# (美祢市の面積), though it stays in compounds (美祢線, 美祢市立病院).
CITY_NAMES = {"美祢", "美祢市", "みね", "みねし"}
# Joins the other chunks into one analyser call; it is a symbol, so it ends a run.
CHUNK_JOINER = "、"


# Kana chunks that only ask "where / when / how / I want": no topic in them.
KANA_STOP_CHUNKS = {
    "なに", "なん", "なんで", "どう",
    "どうする", "どうすれば", "どうしたら", "だれ", "どれ", "どの", "ほしい", "したい",
    "おしえて", "ください", "です", "ですか", "ますか", "ある", "ない", "いる", "いらない",
    "する", "できる", "できますか", "ありますか", "おねがい", "おねがいします", "について",
}

# Endings of a kana chunk that only say "I want to / can I / please" (こせきとうほんがほしい).
KANA_TAIL = re.compile(
    r"(?:を|が|は|の|に|で|って|も)?(?:したいです|したい|したら|しよう|ほしいです|ほしい|できますか|できる"
    r"|ありますか|ある|いる|いらない|ですか|です|ますか|ください|おしえて|おねがいします|について"
    r"|のしかた|のやりかた|のほうほう|しかた|やりかた)$"
)


def topic_of_kana(chunk: str) -> str:
    """A kana chunk without its empty endings; '' when nothing but empty words is left."""
    if chunk in KANA_STOP_CHUNKS:
        return ""
    while True:
        shorter = KANA_TAIL.sub("", chunk)
        if shorter == chunk:
            return chunk
        if shorter in KANA_STOP_CHUNKS:
            return ""
        chunk = shorter


@dataclass(frozen=True)
class TermOptions:
    """How texts become weighted terms."""

    surface_n: tuple[int, ...] = (2,)
    reading_n: tuple[int, ...] = (2, 3)
    fold_reading: bool = False    # drop voicing marks in readings (ハザート = ハザード)
    run_norm: float = 0.3         # 0: a word weighs by its n-grams; 1: every word the same
    synonym_weight: float = 1.0   # weight of words a synonym adds to a question
    verb_weight: float = 0.7      # weight of a question's verbs and adjectives against its nouns


@dataclass(frozen=True)
class Run:
    """Consecutive content words, written and read."""

    surface: str
    reading: str
    nominal: bool = True  # ends in a noun (kana chunks count as nouns: usually they are)


@dataclass(frozen=True)
class Analysis:
    """What the analyser made of a text."""

    runs: list[Run]
    lemmas: set[str]
    tokens: list[Token]
    kana_chunks: list[str]


def ngrams(text: str, sizes: tuple[int, ...]) -> set[str]:
    """Character n-grams of the given sizes; a text shorter than all sizes is kept whole."""
    grams = {text[i : i + n] for n in sizes for i in range(len(text) - n + 1)}
    return grams or ({text} if text else set())


class TermExtractor:
    """Analyses questions and FAQ texts into channel terms, applying synonyms on the way."""

    def __init__(
        self, analyzer: Analyzer, synonyms: list[SynonymGroup], options: TermOptions = TermOptions()
    ) -> None:
        self.analyzer = analyzer
        self.options = options
        self.matcher = SynonymMatcher(synonyms, self.reading_of)
        self._canonical_cache: dict[str, Analysis] = {}
        # Words repeat across entries: their n-grams are computed once per extractor.
        self._surface_cache: dict[str, set[str]] = {}
        self._reading_cache: dict[str, set[str]] = {}
        self._member_readings: dict[str, str] = {}

    def reading_of(self, text: str) -> str:
        """Hiragana reading of a text, spaces removed."""
        analysis = self.analyse(text)
        return "".join(analysis.kana_chunks) + "".join(t.reading for t in analysis.tokens)

    def analyse(self, text: str) -> Analysis:
        """Split a text into content runs and lemmas."""
        kana_chunks: list[str] = []
        other_chunks: list[str] = []
        for chunk in unicodedata.normalize("NFKC", text).split():
            if KANA_CHUNK.fullmatch(chunk):
                kana_chunks.extend(topic_of_kana(piece) for piece in normalize(chunk).split())
            else:
                other_chunks.append(chunk)
        tokens = self.analyzer.analyze(CHUNK_JOINER.join(other_chunks)) if other_chunks else []
        kana_chunks = [chunk for chunk in kana_chunks if len(chunk) > 1]
        runs = [Run(chunk, chunk) for chunk in kana_chunks] + content_runs(tokens)
        runs = [run for run in runs if run.surface not in CITY_NAMES]
        lemmas = {token.lemma for token in tokens if token.content}
        return Analysis(runs, lemmas, tokens, kana_chunks)

    def query_terms(
        self, text: str, analysis: Analysis | None = None
    ) -> tuple[dict[str, dict[str, float]], float]:
        """Weighted channel terms of a resident's question, and the share of its words
        written in kanji (kana words cannot meet an entry's kanji in the written
        channel; only their reading can match).

        A synonym found in the question (by spelling or by reading) stands in for
        the words it matched: their n-grams give way to the canonical word's, which
        together weigh no more than the words they replace. So a question is not
        made to look more covered than it is just because one of its words has a
        long canonical form.
        """
        analysis = analysis or self.analyse(text)
        lemmas = dict.fromkeys(analysis.lemmas, 1.0)
        verb = self.options.verb_weight
        runs = [(run, 1.0 if run.nominal else verb) for run in analysis.runs]
        terms = self._channel_terms(runs, lemmas, True, kana_in_surface=False)
        reading = "".join(t.reading for t in analysis.tokens)
        by_member: dict[str, dict[str, None]] = {}
        seen: set[str] = set()  # a canonical word found twice (spelling, reading) counts once
        for canonical, member in self.matcher.matches(normalize(text), reading):
            if canonical not in seen:
                seen.add(canonical)
                by_member.setdefault(member, {})[canonical] = None
        for member, canonicals in by_member.items():
            self._substitute(terms, list(canonicals), member)
        written = sum(1 for run in analysis.runs if not KANA_TEXT.fullmatch(run.surface))
        share = written / len(analysis.runs) if analysis.runs else 0.0
        return terms, share

    def _substitute(self, terms: dict[str, dict[str, float]], canonicals: list[str], member: str) -> None:
        """Replace a matched member's n-grams by its canonical words', weighing together
        no more than the member did (shared when the member is in several groups)."""
        options = self.options
        form = member.replace(" ", "")
        removed = 0
        form_reading = self._reading_of_member(form)
        for name, grams in (
            ("sur", ngrams(form, options.surface_n)),
            ("rd", ngrams(form, options.reading_n) | ngrams(form_reading, options.reading_n)),
        ):
            present = [gram for gram in grams if gram in terms[name]]
            for gram in present:
                del terms[name][gram]
            removed = max(removed, len(present))
        share = options.synonym_weight / len(canonicals)
        for canonical in canonicals:
            extra = self._canonical(canonical)
            added = self._channel_terms([(run, 1.0) for run in extra.runs], {}, True, kana_in_surface=False)
            for name in ("sur", "rd"):
                if added[name]:
                    weight = share * min(1.0, max(removed, 1) / len(added[name]))
                    add_weighted(terms[name], set(added[name]), weight, 0.0)
            for lemma in extra.lemmas:
                terms["lem"].setdefault(lemma, share)

    def entry_terms(
        self, text: str, expand: bool = True, readings: bool = True, analysis: Analysis | None = None
    ) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
        """Terms of an FAQ text, and separately the terms its synonyms add."""
        analysis = analysis or self.analyse(text)
        runs = [(run, 1.0) for run in analysis.runs]
        literal = self._channel_terms(runs, dict.fromkeys(analysis.lemmas, 1.0), readings, True)
        if not expand:
            return literal, {name: {} for name in CHANNELS}
        extra_runs, extra_lemmas = self._expansions(text, analysis)
        extra = [(run, 1.0) for run in extra_runs]
        added = self._channel_terms(extra, dict.fromkeys(extra_lemmas, 1.0), readings, True)
        return literal, added

    def _expansions(self, text: str, analysis: Analysis) -> tuple[list[Run], set[str]]:
        """Runs and lemmas of the canonical words of synonyms written in an FAQ text."""
        runs: list[Run] = []
        lemmas: set[str] = set()
        for canonical in self.matcher.canonicals(normalize(text)):
            extra = self._canonical(canonical)
            runs += extra.runs
            lemmas |= extra.lemmas
        return runs, lemmas

    def _reading_of_member(self, form: str) -> str:
        reading = self._member_readings.get(form)
        if reading is None:
            reading = remember(self._member_readings, form, self.reading_of(form))
        return reading

    def _canonical(self, word: str) -> Analysis:
        if word not in self._canonical_cache:
            self._canonical_cache[word] = self.analyse(word)
        return self._canonical_cache[word]

    def _channel_terms(
        self, runs: list[tuple[Run, float]], lemmas: dict[str, float], readings: bool, kana_in_surface: bool
    ) -> dict[str, dict[str, float]]:
        """Terms per channel. A question's kana-only words go to the reading channel
        only: written in kana they cannot meet the kanji of an entry's text. An FAQ
        text (`kana_in_surface`) keeps every term at weight 1: only their presence counts."""
        norm = 0.0 if kana_in_surface else self.options.run_norm
        surface_terms: dict[str, float] = {}
        reading_terms: dict[str, float] = {}
        for run, weight in runs:
            if kana_in_surface or not KANA_TEXT.fullmatch(run.surface):
                add_weighted(surface_terms, self._surface_grams(run.surface), weight, norm)
            if readings:
                add_weighted(reading_terms, self._reading_grams(run.reading), weight, norm)
        return {"sur": surface_terms, "rd": reading_terms, "lem": lemmas}

    def _surface_grams(self, text: str) -> set[str]:
        grams = self._surface_cache.get(text)
        if grams is None:
            grams = remember(self._surface_cache, text, ngrams(text, self.options.surface_n))
        return grams

    def _reading_grams(self, text: str) -> set[str]:
        grams = self._reading_cache.get(text)
        if grams is None:
            folded = fold_sounds(text) if self.options.fold_reading else text
            grams = remember(self._reading_cache, text, ngrams(folded, self.options.reading_n))
        return grams


CACHE_LIMIT = 200_000  # questions keep adding new words: bound the memory


def remember(cache: dict, key, value):
    """Store a computed value, starting afresh when the cache is full."""
    if len(cache) >= CACHE_LIMIT:
        cache.clear()
    cache[key] = value
    return value


def add_weighted(target: dict[str, float], grams: set[str], weight: float, norm: float) -> None:
    """Give each n-gram of a word the word's weight shared out (keeping the larger)."""
    if not grams:
        return
    share = weight / len(grams) ** norm if norm else weight
    if share == 1.0:  # the common case: full weight wins over anything
        target.update(dict.fromkeys(grams, 1.0))
        return
    for gram in grams:
        if share > target.get(gram, 0.0):
            target[gram] = share


def content_runs(tokens: list[Token]) -> list[Run]:
    """Group consecutive content tokens into runs (compound words stay together).

    When a run ends in a suffix that may be voiced (避難所: ひなんしょ, said
    ひなんじょ), a second run carries the voiced reading: dictionaries give the
    plain one.
    """
    runs: list[Run] = []
    surface: list[str] = []
    reading: list[str] = []
    voiced: list[str] = []
    nominal = True
    for token in tokens:
        if token.content and not token.standalone:
            surface.append(token.surface)
            reading.append(token.reading)
            nominal = token.noun
            first = token.reading[:1]
            voiced.append(RENDAKU[first] + token.reading[1:] if token.suffix and first in RENDAKU else token.reading)
            continue
        if surface:
            runs += finish_run(surface, reading, voiced, nominal)
            surface, reading, voiced = [], [], []
        if token.standalone:
            runs.append(Run(token.surface, token.reading))
    if surface:
        runs += finish_run(surface, reading, voiced, nominal)
    return runs


def finish_run(surface: list[str], reading: list[str], voiced: list[str], nominal: bool) -> list[Run]:
    """The run as the dictionary reads it, and its voiced variant if it differs."""
    word = "".join(surface)
    runs = [Run(word, "".join(reading), nominal)]
    if voiced != reading:
        runs.append(Run(word, "".join(voiced), nominal))
    return runs


# Rendaku: the first kana of a suffix is often voiced (所: しょ → じょ).
RENDAKU = dict(zip("かきくけこさしすせそたちつてとはひふへほ", "がぎぐげござじずぜぞだぢづでどばびぶべぼ"))
