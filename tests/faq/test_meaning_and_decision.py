"""The meaning channel (word vectors), the out-of-scope cues, the calibrated decision and the
explanations, on the seed corpus and on small hand-made ones."""

from __future__ import annotations

import numpy as np
import pytest

from bot.faq.engine.decision import FEATURES, DecisionModel, Logistic, fit_logistic, load_model
from bot.faq.engine.scope import ScopeCues, ScopeMatcher, get_scope
from bot.faq.engine.search import Decision, FaqIndex
from bot.faq.engine.vectors import get_vectors
from tests.faq.conftest import make_entry


def test_vectors_are_memory_mapped_and_know_common_words():
    vectors = get_vectors()
    assert vectors is not None
    assert isinstance(vectors.vectors, np.memmap) and isinstance(vectors.keys, np.memmap)
    assert vectors.row("水道") is not None and vectors.row("") is None
    assert vectors.row("ぜったいにないことばだよ") is None
    tap, water, library = (vectors.vector(vectors.row(word)) for word in ("蛇口", "水道", "図書館"))
    assert tap @ water > tap @ library  # 蛇口 means something close to 水道


def test_a_described_situation_finds_the_entry_by_meaning():
    entries = [
        make_entry("W", "水道の使用を中止したい", ["水道"], answer="水道の使用中止は上下水道課に連絡してください。"),
        make_entry("L", "図書館で本を借りたい", ["図書館"], answer="図書館の利用カードを作ってください。"),
    ]
    words_only = FaqIndex.build(entries, synonyms=[], vectors=False)
    with_meaning = FaqIndex.build(entries, synonyms=[])
    question = "蛇口が壊れて困っている"
    assert not words_only.search(question).hits     # no shared word
    assert with_meaning.search(question).hits[0].entry_id == "W"


def test_scope_cues_come_from_the_lists_and_respect_moving():
    matcher = ScopeMatcher({"municipalities": ["下関市"], "offices": ["税務署"], "businesses": ["ホテル"]})
    assert matcher.cues("下関市の図書館").place == ("下関市",)
    assert matcher.cues("下関市から引っ越してきました").place == ()  # where one moves from
    assert matcher.cues("税務署はどこ").office == ("税務署",)
    assert matcher.cues("ほてるを教えて").business == ("ほてる",)  # kana folded
    assert get_scope().cues("住民票をとりたい") == get_scope().cues("")


def test_shipped_scope_lists_name_other_bodies_but_not_the_citys_own_services():
    scope = get_scope()
    assert scope.cues("松江市の保育園").place == ("松江市",)        # a prefectural capital
    assert scope.cues("隣の市の図書館").place == ("隣の市",)        # another town, unnamed
    assert "県営" in scope.cues("県営住宅に入りたい").office        # prefectural property
    assert scope.cues("免許センターの場所").office == ("免許せんた",)  # words come back normalised
    assert "葬儀社" in scope.cues("葬儀社を探しています").business
    assert "郵便局" in scope.cues("郵便局は何時まで").business
    # The city's own services at convenience stores, and life events of its procedures.
    assert scope.cues("コンビニで住民票") == ScopeCues()
    assert scope.cues("会社を辞めたので国保に入りたい") == ScopeCues()


def test_newton_logistic_regression_separates_a_simple_rule():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 2))
    y = (x[:, 0] > 0).astype(float)
    model = fit_logistic(x, y, l2=0.1)
    assert model.weights[0] > 3 * abs(model.weights[1])
    assert model.probability(np.array([2.0, 0.0])) > 0.9 > 0.1 > model.probability(np.array([-2.0, 0.0]))


def test_the_shipped_model_matches_the_engine_and_decides_by_probability():
    model = load_model()
    assert len(model.mean) == len(model.right.weights) == len(FEATURES)
    assert 0 < model.suggest_at <= 1 and 0 < model.answer_at <= 1
    always = DecisionModel(model.mean, model.scale, Logistic(model.right.weights, 30.0),
                           Logistic(model.inscope.weights, 30.0), 0.5, 0.5)
    never = DecisionModel(model.mean, model.scale, Logistic(model.right.weights, -30.0),
                          Logistic(model.inscope.weights, -30.0), 0.5, 0.5)
    features = dict.fromkeys(FEATURES, 0.0) | {"margin3": 1.0}
    assert always.decide(features, 3)[0] == "answer"
    assert never.decide(features, 3)[0] == "none"
    assert always.decide(features | {"margin3": 0.0}, 3)[0] == "answer"  # no spread rule unless set


@pytest.mark.parametrize("query", ["下関市のごみ収集日はいつ", "パスポートを申請したい"])
def test_another_bodys_service_is_not_answered(seed_index, query):
    assert seed_index.search(query).decision is not Decision.ANSWER


def test_a_plain_question_is_answered_directly(seed_index):
    result = seed_index.search("住民票はどこでとれますか")
    assert result.decision is Decision.ANSWER and result.hits[0].entry_id == "FAQ-0001"
    assert 0.5 < result.probability <= 1.0


def test_the_explanation_names_words_synonyms_and_meaning(seed_index):
    explanation = seed_index.explain("こくほやめたい")
    assert explanation.result == seed_index.search("こくほやめたい")
    first = explanation.hits[0]
    assert first.entry_id == "FAQ-0038"
    assert ("こくほ", "国民健康保険") in first.synonyms
    assert first.lexical > 0 and 0 < first.score <= 1
    place = seed_index.explain("蛇口から水が出ない冬の朝")
    assert any(share > 0 for _, share in place.hits[0].meaning_words)
    assert seed_index.explain("").hits == []
