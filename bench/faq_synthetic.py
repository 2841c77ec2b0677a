"""A deterministic synthetic FAQ corpus of any size, made from the real entries.

Each synthetic entry recombines real ones: its question puts a keyword of one entry
into the question frame of another, its answer joins sentences of two answers, and
its keywords mix both. The vocabulary and lengths stay those of real municipal FAQ
text, which is what the index cost depends on.
"""

from __future__ import annotations

import random
import re

from bot.faq.engine.corpus import FaqEntry

SENTENCE_RE = re.compile(r"[^。]+。")
PLACES = ["", "美東", "秋芳", "大嶺", "於福", "伊佐", "東厚保", "西厚保", "綾木", "赤郷"]


def synthetic_entries(real: list[FaqEntry], size: int, seed: int = 20240601) -> list[FaqEntry]:
    """`size` plausible entries recombined from `real`, the same for the same seed."""
    rng = random.Random(seed)
    entries = []
    for number in range(1, size + 1):
        frame, donor = rng.choice(real), rng.choice(real)
        entries.append(
            FaqEntry(
                id=f"SYN-{number:05d}",
                category=frame.category,
                question=recombine_question(frame, donor, rng),
                answer=recombine_answer(frame, donor, rng),
                department=frame.department,
                url="",
                keywords=sorted(set(rng.sample(frame.keywords, min(2, len(frame.keywords)))
                                    + rng.sample(donor.keywords, 1))),
                alt_questions=[recombine_question(donor, frame, rng)] if rng.random() < 0.3 else [],
            )
        )
    return entries


def recombine_question(frame: FaqEntry, donor: FaqEntry, rng: random.Random) -> str:
    """The frame's question with its first keyword replaced by one of the donor's."""
    question = frame.question
    for keyword in frame.keywords:
        if keyword in question:
            question = question.replace(keyword, rng.choice(donor.keywords), 1)
            break
    place = rng.choice(PLACES)
    return f"{place}地区の{question}" if place else question


def recombine_answer(frame: FaqEntry, donor: FaqEntry, rng: random.Random) -> str:
    """Two to four sentences taken from the two answers."""
    sentences = SENTENCE_RE.findall(frame.answer) + SENTENCE_RE.findall(donor.answer)
    count = min(len(sentences), rng.randint(2, 4))
    return "".join(rng.sample(sentences, count))
