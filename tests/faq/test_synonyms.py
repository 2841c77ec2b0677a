"""The synonym list: format and matching."""

from bot.faq.engine.synonyms import SynonymGroup, SynonymMatcher, load_synonyms, parse_synonyms


def readings(text: str) -> str:
    return {"国保": "こくほ", "携帯": "けいたい", "携帯電話": "けいたいでんわ"}.get(text, text)


def test_parse_skips_comments_and_blank_lines():
    groups = parse_synonyms(["# comment", "", "国民健康保険\t国保|こくほ", "ごみ袋\t指定袋"])
    assert groups == [SynonymGroup("国民健康保険", ("国保", "こくほ")), SynonymGroup("ごみ袋", ("指定袋",))]


def test_member_found_by_spelling_or_reading():
    matcher = SynonymMatcher([SynonymGroup("国民健康保険", ("国保",))], readings)
    assert matcher.canonicals("国保をやめたい") == ["国民健康保険"]
    assert matcher.canonicals("こくほをやめたい") == ["国民健康保険"]
    assert matcher.canonicals("ほけん") == []


def test_longest_member_wins():
    groups = [SynonymGroup("スマホ", ("携帯",)), SynonymGroup("小型家電", ("携帯電話",))]
    matcher = SynonymMatcher(groups, readings)
    assert matcher.canonicals("携帯電話を捨てたい") == ["小型家電"]


def test_members_do_not_match_across_words():
    matcher = SynonymMatcher([SynonymGroup("粗大ごみ", ("かぺっと",))], readings)
    assert matcher.canonicals("ますか ぺっと") == []


def test_shipped_list_loads_and_covers_common_abbreviations():
    canonicals = {group.canonical for group in load_synonyms()}
    variants = {v for group in load_synonyms() for v in group.variants}
    assert {"国民健康保険", "マイナンバーカード"} <= canonicals
    assert {"国保", "こくほ", "マイナ"} <= variants
