"""Loading FAQ entries from the seed CSV format."""

from bot.faq.engine.corpus import load_csv_entries

HEADER = "id,category,question,answer,department,url,keywords"


def write(tmp_path, text, encoding="utf-8"):
    path = tmp_path / "faq.csv"
    path.write_text(text, encoding=encoding)
    return path


def test_seed_corpus_loads_with_ids_and_keywords(seed_entries):
    assert len(seed_entries) == 130
    first = seed_entries[0]
    assert first.id == "FAQ-0001"
    assert "住民票" in first.keywords
    assert first.alt_questions == []
    assert first.published is True


def test_optional_columns_alt_questions_and_published(tmp_path):
    path = write(
        tmp_path,
        HEADER + ",alt_questions,published\r\n"
        "F-1,税金,質問1,答え1,税務課,,a|b,別の聞き方|もう一つ,false\r\n"
        "F-2,税金,質問2,答え2,税務課,,c,,\r\n",
    )
    hidden, shown = load_csv_entries(path)
    assert hidden.alt_questions == ["別の聞き方", "もう一つ"]
    assert hidden.published is False
    assert shown.keywords == ["c"]
    assert shown.published is True


def test_excel_bom_is_tolerated(tmp_path):
    path = write(tmp_path, HEADER + "\nF-1,c,q,a,d,,k\n", encoding="utf-8-sig")
    assert load_csv_entries(path)[0].id == "F-1"
