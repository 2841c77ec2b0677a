"""No evaluation query may be written into the engine's code or data (issue 14): the numbers
on the held-out sets must come from general methods, not from their sentences."""

from __future__ import annotations

import json
from pathlib import Path

from bot.faq.engine.normalize import normalize

ROOT = Path(__file__).resolve().parents[2]
QUERY_SETS = sorted((ROOT / "bench" / "data" / "faq").rglob("*.jsonl"))
ENGINE_FILES = [
    *sorted((ROOT / "bot" / "faq" / "engine").glob("*.py")),
    ROOT / "content" / "faq" / "synonyms.tsv",
    ROOT / "content" / "faq" / "decision-model.json",
    *sorted((ROOT / "content" / "faq" / "scope").glob("*.txt")),
]
MIN_CHARS = 6  # a one-word query (住民票, 税金) is vocabulary, not a sentence


def folded(text: str) -> str:
    return normalize(text).replace(" ", "")


def test_no_query_sentence_appears_in_the_engines_code_or_data():
    assert len(QUERY_SETS) >= 10  # dev, three probes, six held-out styles
    queries = {
        folded(json.loads(line)["query"])
        for path in QUERY_SETS for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    }
    queries = {query for query in queries if len(query) >= MIN_CHARS}
    assert len(queries) > 600
    for path in ENGINE_FILES:
        text = folded(path.read_text(encoding="utf-8"))
        leaked = sorted(query for query in queries if query in text)
        assert not leaked, f"{path.relative_to(ROOT)} contains evaluation queries: {leaked[:5]}"
