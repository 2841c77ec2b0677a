"""The console page 気象庁の自動連携: the last poll, the telegrams seen, and the per-kind form."""

from __future__ import annotations

from bot.jma import policy
from bot.jma.poll import poll
from bot.jma.rules import AlertKind
from bot.models import AlertAction


def test_staff_see_the_last_poll_and_the_telegrams(client, login_as, database, jma_settings, jma_server):
    jma_server.publish("edited_h27_mine_heavy_rain_issued.xml")
    poll(database, jma_settings)
    login_as("author")
    page = client.get("/console/jma").get_data(as_text=True)
    assert "気象庁の自動連携" in page and "取得した電文 1件" in page and "作成したお知らせ 1件" in page
    assert "美祢市に大雨警報（警戒レベル３相当）" in page and "お知らせを送信" in page
    assert "変更できるのは管理者だけです" in page
    assert client.post("/console/jma/settings", data={}).status_code in (400, 403)


def test_an_admin_changes_what_a_kind_does(client, login_as, database):
    login_as("admin")
    page = client.get("/console/jma")
    assert 'name="mode-danger_warning"' in page.get_data(as_text=True)
    form = {f"action-{kind.value}": action.value for kind, action in policy.DEFAULTS.items()}
    form.update({"action-advisory": "draft", "mode-danger_warning": "on", "mode-warning": "on"})
    token = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    answer = client.post("/console/jma/settings", data={**form, "csrf_token": token})
    assert answer.status_code == 302
    with database.read_sessions() as session:
        chosen = policy.policies(session)
    assert chosen[AlertKind.ADVISORY].action is AlertAction.DRAFT
    assert chosen[AlertKind.DANGER_WARNING].disaster_mode is True
    assert chosen[AlertKind.WARNING].disaster_mode is False  # not a level-4-equivalent kind
    assert chosen[AlertKind.QUAKE_STRONG].action is AlertAction.AUTO
