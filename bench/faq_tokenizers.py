"""Compare Japanese analysers for the FAQ search, each in its own process.

    PYTHONPATH=<dir with the candidate packages> .venv/bin/python bench/faq_tokenizers.py

The shipped analyser is MeCab (fugashi + ipadic; unidic-lite until session 4). This script swaps in the
other candidates, when they are importable, behind the same `Analyzer` interface,
and reports dev-set accuracy, build time, search latency and resident memory. The
candidates are not project dependencies: install them into a scratch directory.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.faq.engine.analyzer import QUESTION_LEMMAS, STOP_LEMMAS, Token, get_analyzer, make_token  # noqa: E402
from bot.faq.engine.normalize import normalize  # noqa: E402

KANA_STOP_LEMMAS = {"する", "ある", "いる", "なる", "できる", "いう", "おもう", "こと", "もの", "ため", "よう", "ところ", "どう"}
KANA_QUESTION_LEMMAS = {"どこ", "いつ", "いくら"}
CANDIDATES = ("mecab", "sudachi", "janome", "pykakasi")


class SudachiAnalyzer:
    """SudachiPy + sudachidict-core, long units (mode C), normalised forms as lemmas."""

    def __init__(self) -> None:
        from sudachipy import Dictionary, SplitMode

        self._tokenizer = Dictionary(dict="core").create(SplitMode.C)

    def analyze(self, text: str) -> list[Token]:
        return [
            make_token(m.surface(), m.part_of_speech()[0], m.normalized_form(), m.reading_form())
            for m in self._tokenizer.tokenize(text)
        ]


class JanomeAnalyzer:
    """Janome (pure Python, IPADIC)."""

    CONTENT = {"名詞", "動詞", "形容詞", "副詞", "接頭詞"}

    def __init__(self) -> None:
        from janome.tokenizer import Tokenizer

        self._tokenizer = Tokenizer()

    def analyze(self, text: str) -> list[Token]:
        tokens = []
        for t in self._tokenizer.tokenize(text):
            pos1, pos2 = t.part_of_speech.split(",")[:2]
            reading = t.reading if t.reading != "*" else t.surface
            token = make_token(t.surface, "名詞" if pos1 in self.CONTENT else pos1, t.base_form, reading)
            lemma = normalize(t.base_form)
            if lemma in KANA_QUESTION_LEMMAS:
                token = Token(token.surface, lemma, token.reading, True, standalone=True)
            elif pos2 in {"非自立", "代名詞", "数"} or lemma in KANA_STOP_LEMMAS:
                token = Token(token.surface, token.lemma, token.reading, False)
            tokens.append(token)
        return tokens


class KakasiAnalyzer:
    """pykakasi: readings by longest dictionary match, no parts of speech."""

    def __init__(self) -> None:
        import pykakasi

        self._kakasi = pykakasi.kakasi()

    def analyze(self, text: str) -> list[Token]:
        tokens = []
        for part in self._kakasi.convert(text):
            surface = normalize(part["orig"])
            hiragana_only = all("ぁ" <= ch <= "ゖ" for ch in part["orig"])
            content = bool(surface) and not (hiragana_only and len(surface) < 3)
            tokens.append(Token(surface, surface, normalize(part["hira"]) or surface, content))
        return tokens


def load(name: str):
    if name == "mecab":
        return get_analyzer()
    return {"sudachi": SudachiAnalyzer, "janome": JanomeAnalyzer, "pykakasi": KakasiAnalyzer}[name]()


def measure(name: str) -> dict:
    """Dev-set metrics, build times and memory for one analyser (run in a child process)."""
    from bench.faq_bench import DEV_QUERIES, rss_mib
    from bench.faq_synthetic import synthetic_entries
    from bot.faq.engine.evaluation import evaluate_index
    from bot.faq.engine.corpus import load_csv_entries
    from bot.faq.engine.search import FaqIndex

    assert STOP_LEMMAS and QUESTION_LEMMAS  # the shared lists the adapters map onto
    started = time.perf_counter()
    analyzer = load(name)
    analyzer.analyze("準備")
    load_s = time.perf_counter() - started
    real = load_csv_entries(ROOT / "content" / "faq" / "mine-faq.csv")
    queries = [json.loads(line) for line in DEV_QUERIES.read_text(encoding="utf-8").splitlines() if line]
    cpu = time.process_time()
    index = FaqIndex.build(real, analyzer=analyzer)
    build_130 = time.process_time() - cpu
    metrics = evaluate_index(index, queries)
    big = real + synthetic_entries(real, 5000)
    cpu = time.process_time()
    FaqIndex.build(big, analyzer=analyzer)
    build_big = time.process_time() - cpu
    return {"analyzer": name, "load_s": round(load_s, 2), "build_130_cpu_s": round(build_130, 2),
            "build_5130_cpu_s": round(build_big, 2), "rss_mib": round(rss_mib(), 1)} | metrics


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(measure(sys.argv[2])))
        return 0
    for name in CANDIDATES:
        child = subprocess.run([sys.executable, __file__, "--one", name], capture_output=True, text=True)
        if child.returncode != 0:
            print(f"{name}: not available ({child.stderr.strip().splitlines()[-1]})")
            continue
        print(child.stdout.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
