"""FAQ search on the seed corpus: readings, synonyms, typos and the decision."""

import pytest

from bot.faq.engine.search import Decision, FaqIndex, SearchResult
from bot.faq.engine.synonyms import SynonymGroup
from tests.faq.conftest import make_entry


def top(result: SearchResult) -> str:
    return result.hits[0].entry_id


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("こせきとうほん", "FAQ-0010"),        # 戸籍謄本
        ("ふるさとのうぜい", "FAQ-0036"),      # ふるさと納税
        ("じどうふようてあて", "FAQ-0055"),    # 児童扶養手当, not 児童手当
        ("そだいごみ", "FAQ-0067"),            # 粗大ごみ
    ],
)
def test_hiragana_only_question_finds_the_kanji_entry(seed_index, query, expected):
    assert top(seed_index.search(query)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("こくほやめたい", "FAQ-0038"),          # 国保 → 国民健康保険, やめる → 脱退
        ("こくほの保険料", "FAQ-0039"),
        ("マイナ 暗証番号", "FAQ-0018"),         # マイナ → マイナンバーカード
        ("ハンコを登録したい", "FAQ-0007"),      # ハンコ → 印鑑
    ],
)
def test_synonyms_and_abbreviations(seed_index, query, expected):
    assert top(seed_index.search(query)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ハザードマッブ", "FAQ-0084"),    # one wrong kana
        ("期日前投標", "FAQ-0118"),        # wrong kanji with the same reading
        ("はざーどまっぷ", "FAQ-0084"),
        ("ﾏｲﾅﾝﾊﾞｰｶｰﾄﾞ 紛失", "FAQ-0019"),  # half-width katakana
    ],
)
def test_typos_and_spelling_variants(seed_index, query, expected):
    assert top(seed_index.search(query)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("粗大ごみの出し方を教えてください", "FAQ-0067"),
        ("住民票の写しを郵送で請求したい", "FAQ-0003"),
        ("ゴミ袋はどこで売っていますか", "FAQ-0070"),
    ],
)
def test_clear_question_is_answered(seed_index, query, expected):
    result = seed_index.search(query)
    assert result.decision is Decision.ANSWER
    assert top(result) == expected


@pytest.mark.parametrize("query", ["ピザの注文をしたい", "好きな映画は何ですか", "あいうえおかきくけこ", ""])
def test_nonsense_or_out_of_domain_is_none(seed_index, query):
    assert seed_index.search(query).decision is Decision.NONE


@pytest.mark.parametrize("query", ["手当", "税金", "マイナンバーカード"])
def test_ambiguous_one_word_question_suggests(seed_index, query):
    result = seed_index.search(query)
    assert result.decision is Decision.SUGGEST
    assert len(result.hits) >= 3


def test_hits_are_top_five_best_first_with_scores_in_range(seed_index):
    result = seed_index.search("マイナンバーカードをなくした")
    assert len(result.hits) == 5
    scores = [hit.score for hit in result.hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= score <= 1.0 for score in scores)
    assert str(result.decision) in {"answer", "suggest", "none"}


def test_unpublished_entries_are_not_indexed():
    entries = [
        make_entry("A", "図書館で本を借りたい", ["図書館", "貸出"]),
        make_entry("B", "図書館の開館時間は", ["図書館", "開館時間"], published=False),
    ]
    index = FaqIndex.build(entries, synonyms=[])
    assert [entry.id for entry in index.entries] == ["A"]
    assert {hit.entry_id for hit in index.search("図書館 開館時間").hits} == {"A"}


def test_alternative_phrasings_are_searched():
    entries = [
        make_entry("A", "市営住宅に入居したい", ["市営住宅"]),
        make_entry("B", "粗大ごみの出し方", ["粗大ごみ"], alt_questions=["古いタンスを捨てたい"]),
    ]
    index = FaqIndex.build(entries, synonyms=[])
    assert top(index.search("タンスを捨てたい")) == "B"


def test_synonym_list_is_data():
    entries = [make_entry("A", "自主返納の手続き", ["自主返納"]), make_entry("B", "水道の開始", ["水道"])]
    without = FaqIndex.build(entries, synonyms=[])
    with_group = FaqIndex.build(entries, synonyms=[SynonymGroup("自主返納", ("めんきょをかえす",))])
    assert not without.search("めんきょをかえす").hits
    assert top(with_group.search("めんきょをかえす")) == "A"


def test_rebuilding_the_seed_index_is_fast(seed_entries):
    import time

    started = time.perf_counter()
    FaqIndex.build(seed_entries)
    assert time.perf_counter() - started < 5.0  # about 0.3 s; generous for a busy CI machine


@pytest.mark.parametrize("query", ["😀😀", "https://example.com", "1234", "　", "ｰｰｰ", "a" * 5000, "住民票" * 2000])
def test_odd_input_never_fails(seed_index, query):
    result = seed_index.search(query)
    assert result.decision in set(Decision)
    assert len(result.hits) <= 5


def test_city_name_alone_is_not_a_topic(seed_index):
    assert seed_index.search("美祢市のマスコットキャラクター").decision is Decision.NONE
    assert top(seed_index.search("美祢線は動いていますか")) == "FAQ-0119"  # in a compound it counts
