"""Item 10: POST /api/notices is limited per token, across workers (the count is in the
database): over the limit it answers 429 with Retry-After; another token is not affected."""

from __future__ import annotations

from sqlalchemy import func, select

from bot import create_app
from bot.models import Notice
from tests.notices.test_feeds_and_api import issue_token


def test_a_token_over_its_limit_gets_429_with_retry_after_shared_by_workers(settings, database, db_session):
    limited = settings.with_overrides(api_rate_limit=3, api_rate_window_s=60)
    workers = [create_app({"settings": limited}) for _ in range(2)]
    try:
        first, second = issue_token(database, "bosai-system"), issue_token(database, "mail-service")
        clients = [worker.test_client() for worker in workers]

        def post(n: int, token: str):
            return clients[n % 2].post("/api/notices", headers={"Authorization": f"Bearer {token}"},
                                       json={"title": f"お知らせ{n}", "body": "本文"})

        assert [post(n, first).status_code for n in range(3)] == [201, 201, 201]
        refused = post(3, first)
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert "秒たってから" in refused.json["message"]
        assert post(4, second).status_code == 201  # each token has its own count
        db_session.rollback()
        assert db_session.scalar(select(func.count()).select_from(Notice)) == 4
    finally:
        for worker in workers:
            worker.extensions["gateway"].close()
            worker.extensions["db"].dispose()


def test_the_window_passes_and_the_token_may_post_again(settings, database):
    from datetime import timedelta

    from sqlalchemy import update

    from bot.models import ApiToken

    app = create_app({"settings": settings.with_overrides(api_rate_limit=1, api_rate_window_s=60)})
    try:
        token = issue_token(database)
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        assert client.post("/api/notices", headers=headers, json={"title": "a", "body": "b"}).status_code == 201
        assert client.post("/api/notices", headers=headers, json={"title": "a", "body": "b"}).status_code == 429
        with database.transaction() as session:
            start = session.scalar(select(ApiToken.rate_window_start))
            session.execute(update(ApiToken).values(rate_window_start=start - timedelta(seconds=61)))
        assert client.post("/api/notices", headers=headers, json={"title": "a", "body": "b"}).status_code == 201
    finally:
        app.extensions["gateway"].close()
        app.extensions["db"].dispose()
