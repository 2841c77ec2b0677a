"""Notices by e-mail through a real local SMTP server (aiosmtpd), and unsubscribing."""

from __future__ import annotations

import email
import socket
from email.policy import default as default_policy
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from bot.notices import mail
from bot import notices
from bot.db import utcnow
from bot.models import MailSend, MailSendStatus, MailSubscriber
from tests.support.notices import publish


class Inbox:
    """An SMTP server's handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        parsed = email.message_from_bytes(envelope.original_content or envelope.content, policy=default_policy)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [message for rcpt, message in self.messages if address in rcpt]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_inbox():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def mail_settings(settings, smtp_inbox):
    _inbox, port = smtp_inbox
    return settings.with_overrides(smtp_host="127.0.0.1", smtp_port=port, smtp_from="oshirase@city.mine.example")


def subscribe(database, address, areas=()):
    with database.transaction() as session:
        return mail.subscribe(session, address, list(areas), "cli", utcnow()).unsubscribe_token


def test_subscribers_of_the_notices_areas_get_one_email_each(database, mail_settings, smtp_inbox):
    inbox, _port = smtp_inbox
    subscribe(database, "all@example.jp")
    subscribe(database, "mito@example.jp", ["美東"])
    subscribe(database, "shuho@example.jp", ["shuho"])
    publish(database, mail_settings, title="美東で断水", body="午後1時から断水します。", kind="避難情報",
            areas=["mito"], link_url="https://www.city.mine.example/suido")

    assert mail.run_mail(database, mail_settings) == 2
    assert mail.run_mail(database, mail_settings) == 0  # nothing twice

    assert inbox.to("shuho@example.jp") == []
    [message] = inbox.to("mito@example.jp")
    assert len(inbox.to("all@example.jp")) == 1
    assert message["Subject"] == "【避難情報】美東で断水（美祢市）"
    assert message["From"] == "oshirase@city.mine.example"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_content()
    assert "午後1時から断水します。" in text and "対象地域：美東" in text
    assert "詳しく見る: https://www.city.mine.example/suido" in text
    assert message["List-Unsubscribe"].strip("<>") in text


def test_unsubscribing_from_the_link_stops_the_email(client, database, mail_settings, smtp_inbox):
    inbox, _port = smtp_inbox
    subscribe(database, "leaving@example.jp")
    publish(database, mail_settings, title="最初のお知らせ")
    mail.run_mail(database, mail_settings)
    link = inbox.to("leaving@example.jp")[0]["List-Unsubscribe"].strip("<>")
    path = urlsplit(link)
    page = f"{path.path}?{path.query}"

    confirm = client.get(page)
    assert confirm.status_code == 200 and "配信を停止しますか" in confirm.get_data(as_text=True)
    with database.sessions() as session:
        assert session.scalar(select(MailSubscriber)).active  # a GET (link scanners) changes nothing
    done = client.post(page, data={"List-Unsubscribe": "One-Click"})  # RFC 8058 one-click
    assert done.status_code == 200 and "配信を停止しました" in done.get_data(as_text=True)
    assert client.post(page).status_code == 404  # the link works once

    publish(database, mail_settings, title="次のお知らせ")
    assert mail.run_mail(database, mail_settings) == 0
    assert len(inbox.to("leaving@example.jp")) == 1


def test_a_notice_withdrawn_before_its_email_went_is_not_mailed(database, mail_settings, smtp_inbox):
    inbox, _port = smtp_inbox
    subscribe(database, "someone@example.jp")
    notice_id = publish(database, mail_settings, title="誤った告知")
    with database.transaction() as session:
        notices.withdraw_notice(session, notice_id, "suzuki", "誤送信", utcnow())

    assert mail.run_mail(database, mail_settings) == 0
    assert inbox.messages == []


def test_an_unreachable_smtp_server_leaves_the_email_pending(database, mail_settings, smtp_inbox):
    inbox, port = smtp_inbox
    subscribe(database, "patient@example.jp")
    publish(database, mail_settings, title="あとで届く")
    down = mail_settings.with_overrides(smtp_port=free_port())

    with pytest.raises(OSError):
        mail.run_mail(database, down)
    with database.sessions() as session:
        assert session.scalar(select(MailSend.status)) is MailSendStatus.PENDING

    assert mail.run_mail(database, mail_settings) == 1
    assert len(inbox.to("patient@example.jp")) == 1


def test_bad_addresses_and_areas_are_refused(database):
    with database.transaction() as session, pytest.raises(mail.SubscriptionError, match="メールアドレス"):
        mail.subscribe(session, "not-an-address", [], "cli", utcnow())
    with database.transaction() as session, pytest.raises(mail.SubscriptionError, match="地域「東京」"):
        mail.subscribe(session, "ok@example.jp", ["東京"], "cli", utcnow())
