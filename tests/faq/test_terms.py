"""Turning questions into search terms: content words, kana chunks, synonyms."""

import pytest

from bot.faq.engine.analyzer import get_analyzer
from bot.faq.engine.synonyms import SynonymGroup
from bot.faq.engine.terms import TermExtractor, topic_of_kana


@pytest.fixture(scope="module")
def extractor():
    groups = [SynonymGroup("国民健康保険", ("国保", "こくほ"))]
    return TermExtractor(get_analyzer(), groups)


@pytest.mark.parametrize(
    ("chunk", "topic"),
    [
        ("いんかんとうろくしたい", "いんかんとうろく"),
        ("ぼしてちょうがほしい", "ぼしてちょう"),
        ("としょかん", "としょかん"),
        ("ください", ""),
    ],
)
def test_kana_chunks_lose_their_empty_endings(chunk, topic):
    assert topic_of_kana(chunk) == topic


def test_particles_and_politeness_are_not_terms(extractor):
    terms, _ = extractor.query_terms("住民票はどこでもらえますか")
    assert "民票" in terms["sur"]
    assert not any("ます" in term or "はど" in term for term in terms["sur"])
    assert "どこ" in terms["lem"]  # question words stay, on their own


def test_kana_question_is_matched_by_reading_only(extractor):
    terms, written_share = extractor.query_terms("じゅうみんひょう")
    assert written_share == 0.0
    assert terms["sur"] == {}
    assert "じゅう" in terms["rd"]


def test_synonym_stands_in_for_the_word_it_matched(extractor):
    terms, _ = extractor.query_terms("こくほ")
    assert "国民" in terms["sur"]        # the canonical word's n-grams...
    assert "こくほ" not in terms["rd"]   # ...replace the member's
    assert sum(terms["sur"].values()) <= 3.0  # and weigh no more than it did


def test_entry_terms_keep_synonyms_apart(extractor):
    literal, added = extractor.entry_terms("国保に加入したい")
    assert "国保" in literal["sur"]
    assert "国民" in added["sur"] and "国民" not in literal["sur"]


def test_voiced_suffix_reading_is_also_indexed():
    from bot.faq.engine.terms import content_runs

    readings = {run.reading for run in content_runs(get_analyzer().analyze("避難所"))}
    assert {"ひなんしょ", "ひなんじょ"} <= readings
