"""「なぜこの結果？」 in the staff console: which entries matched a question, and why."""

from __future__ import annotations

import pytest

from bot.db import Database
from bot.faq import questions as faq_questions
from bot.faq.engine.search import Decision, SearchResult
from tests.faq_content.conftest import import_seed
from tests.support.console import post_form


@pytest.fixture
def seeded(settings):
    import_seed(settings.database_url)
    return settings


def ask(database_url: str, question: str) -> int:
    database = Database(database_url)
    try:
        with database.transaction() as session:
            return faq_questions.record_ask(session, question, SearchResult(Decision.NONE, [])).id
    finally:
        database.dispose()


def test_a_waiting_question_links_to_its_explanation(seeded, client, login_as, settings):
    ask_id = ask(settings.database_url, "こくほやめたい")
    login_as("viewer")
    listing = client.get("/console/faq-questions").get_data(as_text=True)
    assert f"/console/faq-questions/{ask_id}/why" in listing
    page = client.get(f"/console/faq-questions/{ask_id}/why").get_data(as_text=True)
    assert "なぜこの結果？" in page and "こくほやめたい" in page
    first_row = page.split('class="why-hit"')[1]
    assert "FAQ-0038" in first_row                     # 国民健康保険をやめる
    assert "こくほ → 国民健康保険" in first_row          # the synonym that counted
    assert 'id="why-probability"' in page


def test_staff_can_try_any_question_in_the_form_body(seeded, client, login_as):
    login_as("viewer")
    assert client.get("/console/faq-why").status_code == 200
    page = post_form(client, "/console/faq-why", {"q": "下関市のごみ収集日"}, csrf_page="/console/faq-why")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "ほかの自治体（下関市）" in text


def test_an_unknown_question_id_is_404(seeded, client, login_as):
    login_as("viewer")
    assert client.get("/console/faq-questions/999999/why").status_code == 404
