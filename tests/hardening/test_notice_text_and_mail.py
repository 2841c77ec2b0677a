"""Item 1: a title with a line break or control character is refused at every entry point
(console, API, the domain function the CLI uses), and one e-mail that cannot be written does not
hold up the others: it is marked failed with the reason, which staff see on the notice's page."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from bot import notices
from bot.db import utcnow
from bot.models import MailSend, MailSendStatus, Notice
from bot.notices import mail
from bot.notices.errors import NoticeInvalid
from tests.console.test_notice_pages import NEW, submit
from tests.notices.test_feeds_and_api import issue_token
from tests.notices.test_mail import mail_settings, smtp_inbox, subscribe  # noqa: F401 - fixtures
from tests.support.notices import publish

BAD_TITLES = ["台風\r接近", "台風\n接近", "台風\u2028接近", "台風\u2029接近", "台風\x85接近", "台風\t接近", "台風\x1b接近"]


@pytest.mark.parametrize("title", BAD_TITLES)
def test_the_domain_function_every_entry_point_uses_refuses_the_title(title, settings):
    draft = notices.NoticeDraft(title=title, body="本文")
    with pytest.raises(NoticeInvalid) as refused:
        draft.validate(utcnow(), notices.local_zone(settings))
    assert "title" in refused.value.errors


def test_the_console_refuses_a_title_with_a_bare_cr_or_line_separator(client, login_as, db_session):
    login_as("author")
    for title in ("台風\r接近", "台風\u2028接近"):
        response = submit(client, NEW, "preview", title=title)
        assert response.status_code == 422
        assert "タイトルは1行で入力してください。" in response.get_data(as_text=True)
    assert db_session.scalar(select(Notice.id)) is None


def test_the_api_refuses_a_title_with_a_bare_cr_or_line_separator(client, database, db_session):
    token = issue_token(database)
    for title in ("台風\r接近", "台風\u2028接近", "台風\x00接近"):
        response = client.post("/api/notices", headers={"Authorization": f"Bearer {token}"},
                               json={"title": title, "body": "本文"})
        assert response.status_code == 400
        assert response.json["details"][0]["field"] == "title"
    assert db_session.scalar(select(Notice.id)) is None


def test_one_message_that_cannot_be_written_fails_alone_and_staff_see_why(
        database, mail_settings, smtp_inbox, client, login_as):  # noqa: F811
    inbox, _port = smtp_inbox
    subscribe(database, "all@example.jp")
    broken = publish(database, mail_settings, title="古いお知らせ")
    with database.transaction() as session:  # as stored before titles were checked
        session.execute(update(Notice).where(Notice.id == broken).values(title="古い\rお知らせ"))
    fine = publish(database, mail_settings, title="図書館の臨時休館")

    assert mail.run_mail(database, mail_settings) == 1
    assert [m["Subject"] for m in inbox.to("all@example.jp")] == ["【お知らせ】図書館の臨時休館（美祢市）"]
    with database.read_sessions() as session:
        sends = {s.notice_id: s for s in session.scalars(select(MailSend))}
    assert sends[broken].status is MailSendStatus.FAILED and sends[broken].attempts == 1
    assert "メールを作成できませんでした" in sends[broken].error
    assert sends[fine].status is MailSendStatus.SENT
    assert mail.run_mail(database, mail_settings) == 0  # nothing left waiting behind it

    login_as("viewer")
    page = client.get(f"/console/notices/{broken}").get_data(as_text=True)
    assert "メールの送信状況" in page and "メールを作成できませんでした" in page
