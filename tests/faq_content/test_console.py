"""The FAQ pages of the staff console: entries (edit, check, publish, CSV) and 未回答の質問
(attach as a phrasing, create an entry, dismiss), with roles and the audit log."""

from __future__ import annotations

from sqlalchemy import select

from bot.faq import questions as faq_questions
from bot.db import Database
from bot.faq.engine.search import Decision, SearchResult
from bot.faq.live import live_index
from bot.models import AuditEntry, FaqAsk, FaqEntryRecord
from tests.support.console import csrf_for, post_form

NONE = SearchResult(Decision.NONE, [])


def ask(database_url: str, question: str, times: int = 1, reported: bool = False) -> int:
    """Residents asked `question` and the bot had no answer."""
    database = Database(database_url)
    try:
        with database.transaction() as session:
            for _ in range(times):
                item = faq_questions.record_ask(session, question, NONE)
                if reported:
                    faq_questions.report_to_staff(item)
            return item.id
    finally:
        database.dispose()


def entry(db_session, entry_id: str) -> FaqEntryRecord:
    db_session.rollback()
    return db_session.get(FaqEntryRecord, entry_id)


def audit_actions(db_session) -> list[str]:
    db_session.rollback()
    return [a.action for a in db_session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def form_of(record: FaqEntryRecord, **changes: str) -> dict[str, str]:
    data = {
        "question": record.question, "answer": record.answer, "category": record.category,
        "department": record.department, "url": record.url, "alt_questions": "\n".join(record.alt_questions),
        "keywords": "、".join(record.keywords), "published": "1" if record.published else "",
        "revision": str(record.revision),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_the_list_shows_sample_badges_and_unchecked_counts(seeded, client, login_as):
    login_as("viewer")
    page = client.get("/console/faq").get_data(as_text=True)
    assert "見本データについて" in page and page.count('class="badge badge-sample">見本<') == 50  # the first page of 130
    assert 'id="count-all">130' in page and 'id="count-unverified">130' in page
    assert "新しいFAQを作る" not in page  # viewers only look
    found = client.get("/console/faq?q=粗大ごみ").get_data(as_text=True)
    assert "FAQ-0067" in found and "FAQ-0001" not in found
    nav = client.get("/console").get_data(as_text=True)
    assert "よくある質問" in nav and "未回答の質問" in nav


def test_an_edit_is_saved_audited_and_searched_at_once(seeded, app, client, login_as, db_session):
    login_as("author")
    page = client.get("/console/faq/FAQ-0065").get_data(as_text=True)
    assert "見本データ（市で未確認）" in page and "内容を確認済みにする" in page and "LINEでの見え方" in page
    with app.app_context():
        assert live_index().search("ビンが割れたらどうする").decision is not Decision.ANSWER
    record = entry(db_session, "FAQ-0065")
    revision, updated_at = record.revision, record.updated_at
    data = form_of(record, alt_questions="ビンが割れたらどうする\nガラスの捨て方", answer=record.answer + "（割れたガラスは紙に包んでください。）")
    response = post_form(client, "/console/faq/FAQ-0065", data, csrf_page="/console/faq/FAQ-0065")
    assert response.status_code == 302
    saved = entry(db_session, "FAQ-0065")
    assert saved.alt_questions == ["ビンが割れたらどうする", "ガラスの捨て方"] and saved.answer.endswith("包んでください。）")
    assert saved.revision == revision + 1 and saved.updated_at > updated_at
    assert audit_actions(db_session)[-1] == "faq.update"
    with app.app_context():
        result = live_index().search("ビンが割れたらどうする")
    assert result.decision is Decision.ANSWER and result.hits[0].entry_id == "FAQ-0065"


def test_a_form_opened_before_someone_elses_save_is_refused(seeded, client, login_as, db_session):
    login_as("author")
    opened = form_of(entry(db_session, "FAQ-0001"))  # two staff open the form
    post_form(client, "/console/faq/FAQ-0001", {**opened, "department": "市民課（窓口）"}, csrf_page="/console/faq")
    response = post_form(client, "/console/faq/FAQ-0001", {**opened, "department": "総務課"}, csrf_page="/console/faq")
    assert response.status_code == 302
    assert "ほかの職員" in client.get("/console/faq/FAQ-0001").get_data(as_text=True)
    assert entry(db_session, "FAQ-0001").department == "市民課（窓口）"


def test_invalid_input_is_explained_next_to_the_field(seeded, client, login_as, db_session):
    login_as("author")
    record = entry(db_session, "FAQ-0001")
    response = post_form(client, "/console/faq/FAQ-0001", form_of(record, answer="あ" * 401, url="javascript:alert(1)"),
                         csrf_page="/console/faq")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "400文字以内" in page and "https://" in page
    assert entry(db_session, "FAQ-0001").answer == record.answer


def test_checking_an_entry_sets_the_verified_date_and_removes_the_sample_mark(seeded, client, login_as, db_session):
    account = login_as("author")
    assert post_form(client, "/console/faq/FAQ-0001/verify", csrf_page="/console/faq").status_code == 302
    record = entry(db_session, "FAQ-0001")
    assert record.verified_on is not None and record.verified_by == account.login_name and not record.sample
    page = client.get("/console/faq/FAQ-0001").get_data(as_text=True)
    assert 'id="verified-badge"' in page and "見本データ（市で未確認）" not in page
    assert audit_actions(db_session)[-1] == "faq.verify"


def test_viewers_cannot_change_entries(seeded, client, login_as, db_session):
    login_as("viewer")
    record = entry(db_session, "FAQ-0001")
    response = post_form(client, "/console/faq/FAQ-0001", form_of(record, department="x課"), csrf_page="/console/faq")
    assert response.status_code == 403
    assert post_form(client, "/console/faq/FAQ-0001/verify", csrf_page="/console/faq").status_code == 403
    assert entry(db_session, "FAQ-0001").department == record.department


def test_the_unanswered_page_groups_questions_with_counts(seeded, client, login_as, settings):
    ask(settings.database_url, "ピザの注文をしたい", times=3, reported=True)
    ask(settings.database_url, "ピザの注文をしたい！")  # the same question, typed differently
    ask(settings.database_url, "墓地の申し込み")
    login_as("viewer")
    page = client.get("/console/faq-questions").get_data(as_text=True)
    assert page.index("ピザの注文をしたい") < page.index("墓地の申し込み")
    assert '<strong class="question-count">4</strong>' in page and '<strong class="question-count">1</strong>' in page
    assert "「職員に伝える」 <strong>3</strong>件" in page
    assert "見本・未確認" in page  # the contact given to residents is sample content


def test_attaching_a_question_adds_a_phrasing_and_closes_the_group(seeded, app, client, login_as, settings, db_session):
    first = ask(settings.database_url, "ビン割れた", times=2)
    login_as("author")
    page = client.get("/console/faq-questions").get_data(as_text=True)
    assert "近いFAQ" in page
    response = post_form(client, f"/console/faq-questions/{first}/attach",
                         {"entry_id": "FAQ-0065", "phrasing": "ビンが割れた"}, csrf_page="/console/faq-questions")
    assert response.status_code == 302
    assert entry(db_session, "FAQ-0065").alt_questions == ["ビンが割れた"]
    asks = db_session.scalars(select(FaqAsk)).all()
    assert {(a.review_action, a.review_entry_id) for a in asks} == {("attached", "FAQ-0065")}
    page = client.get("/console/faq-questions").get_data(as_text=True)
    assert "いま対応が必要な質問はありません" in page and "別の聞き方に追加" in page
    assert audit_actions(db_session)[-1] == "faq.attach_question"
    with app.app_context():
        assert live_index().search("ビンが割れた").hits[0].entry_id == "FAQ-0065"


def test_a_new_entry_from_a_question_gets_the_next_id(seeded, client, login_as, settings, db_session):
    question = ask(settings.database_url, "墓地を買いたい")
    login_as("author")
    form = client.get(f"/console/faq/new?from_ask={question}").get_data(as_text=True)
    assert '>墓地を買いたい</textarea>' in form
    data = {"question": "市営墓地を使いたいのですが、どうすればよいですか？", "answer": "市営墓地の使用は、市民課にお申し込みください。",
            "category": "市役所・手続き全般", "department": "市民課", "alt_questions": "墓地を買いたい", "published": "1",
            "from_ask": str(question)}
    response = post_form(client, "/console/faq/new", data, csrf_page="/console/faq/new")
    assert response.status_code == 302 and response.headers["Location"].endswith("/console/faq/FAQ-0131")
    created = entry(db_session, "FAQ-0131")
    assert created.question.startswith("市営墓地") and not created.sample and created.verified_on is None
    assert db_session.get(FaqAsk, question).review_action == "created"
    assert audit_actions(db_session)[-1] == "faq.create"
    post_form(client, "/console/faq/new", {**data, "from_ask": ""}, csrf_page="/console/faq/new")
    assert entry(db_session, "FAQ-0132") is not None


def test_dismissing_a_question_takes_it_off_the_list(seeded, client, login_as, settings, db_session):
    question = ask(settings.database_url, "あいうえお", times=2)
    login_as("author")
    post_form(client, f"/console/faq-questions/{question}/dismiss", csrf_page="/console/faq-questions")
    db_session.rollback()
    assert {a.review_action for a in db_session.scalars(select(FaqAsk))} == {"dismissed"}
    assert audit_actions(db_session)[-1] == "faq.dismiss_question"
    page = client.get("/console/faq-questions").get_data(as_text=True)
    assert "いま対応が必要な質問はありません" in page and "対応不要" in page.split("最近対応した質問")[1]


def test_the_open_data_csv_downloads_with_bom(seeded, client, login_as):
    login_as("viewer")
    response = client.get("/console/faq/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf\xe5\x9c\xb0\xe6\x96\xb9")  # BOM, then 地方公共団体コード
    assert response.data.count(b"\r\n352136,") == 130
    assert "attachment" in response.headers["Content-Disposition"]


def test_pages_need_a_login_and_unknown_entries_are_404(seeded, client, login_as):
    assert client.get("/console/faq").status_code == 302
    login_as("viewer")
    assert client.get("/console/faq/FAQ-9999").status_code == 404
    assert csrf_for(client, "/console/faq")
