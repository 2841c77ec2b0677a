"""End to end through the emulator: telegrams on the local JMA, `python -m bot jma poll --json`
(or the real scheduler), the notices' real delivery over HTTP to the emulator, and the Atom feed."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.line.gateway import LineGateway
from bot.models import Notice
from scheduler.jma_jobs import poll_jma
from scheduler.jobs import JobEnvironment
from scheduler.notice_jobs import deliver_notices
from tests.support.notices import assert_exactly_once, copies
from tests.support.processes import run_cli, wait_for

BASE = "https://line.example.city.mine.lg.jp"


def poll_cli(database_url: str, jma_server) -> dict:
    done = run_cli(database_url, "jma", "poll", "--json", JMA_ENABLED="1", PUBLIC_BASE_URL=BASE,
                   **jma_server.feed_env())
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_alerts_reach_every_friend_once_and_the_feed(clean_database, jma_settings, database, friends, jma_server,
                                                    emulator, client):
    """The CLI for the first telegram, then the scheduler's own job functions (in this process)."""
    people = friends(4)
    env = JobEnvironment(jma_settings, database, LineGateway(jma_settings))

    def step(fixture: str) -> list[int]:
        jma_server.publish(fixture)
        before = database.read_sessions
        with before() as session:
            known = set(session.scalars(select(Notice.id)))
        poll_jma(env)
        deliver_notices(env)
        with before() as session:
            return sorted(set(session.scalars(select(Notice.id))) - known)

    try:
        jma_server.publish("edited_h27_mine_heavy_rain_issued.xml")
        answer = poll_cli(clean_database, jma_server)
        assert answer["feeds"] == 2 and answer["telegrams_fetched"] == 1 and len(answer["notices"]) == 1
        deliver_notices(env)
        assert_exactly_once(emulator, people, "美祢市に大雨警報")
        atom = client.get("/feeds/notices.atom").get_data(as_text=True)
        assert "美祢市に大雨警報（警戒レベル３相当）" in atom

        assert step("edited_h27_mine_heavy_rain_continued.xml") == []
        assert len(step("edited_h27_mine_heavy_rain_cleared.xml")) == 1
        assert_exactly_once(emulator, people, "大雨警報は解除されました")

        assert step("edited_vxse53_drill_mine_int4.xml") == []  # 訓練
        assert step("edited_vxse53_mine_int2.xml") == []  # 震度2: below JMA_MIN_INTENSITY
        assert not copies(emulator, people, "地震")
        assert len(step("edited_vxse53_mine_int4.xml")) == 1
        assert_exactly_once(emulator, people, "美祢市で震度4")
        assert_exactly_once(emulator, people, "美祢市に大雨警報")  # nothing went twice
        assert sum(len(emulator.state.users[p].inbox()) for p in people) == 3 * len(people)
    finally:
        env.gateway.close()


def test_the_scheduler_polls_jma_and_the_alert_goes_out(clean_database, database, friends, jma_server, schedulers,
                                                       emulator):
    people = friends(3)
    jma_server.publish("edited_vxse53_mine_int4.xml")
    schedulers.start(JMA_ENABLED="1", JMA_POLL_SECONDS="1", PUBLIC_BASE_URL=BASE, **jma_server.feed_env())

    assert wait_for(lambda: sum(copies(emulator, people, "美祢市で震度4").values()) == len(people), 60)
    assert wait_for(lambda: jma_server.requests["/eqvol.xml"] >= 2, 30)  # it keeps polling, with 304s
    assert jma_server.not_modified["/eqvol.xml"] >= 1
    assert_exactly_once(emulator, people, "美祢市で震度4")
    assert sum(jma_server.telegram_requests().values()) == 1
