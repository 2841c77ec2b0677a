"""災害モード in the console: admins and 承認者 switch it after a confirmation, others may not, and
every page's header shows it while it is on."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.disaster import mode
from bot.line import richmenu
from bot.models import AuditEntry
from tests.support.console import csrf_for


def current_mode(app):
    with app.extensions["db"].read_sessions() as session:
        return mode.current_mode(session)


@pytest.fixture
def published(app, emulator, sim):
    return richmenu.publish(app.extensions["gateway"], "http://127.0.0.1:8000", disaster=False)


def test_an_approver_switches_disaster_mode_on_and_off_and_every_page_shows_it(client, login_as, published, app):
    login_as("approver")
    assert "災害モード" in client.get("/console").get_data(as_text=True)  # the navigation item
    assert "disaster-banner" not in client.get("/console").get_data(as_text=True)
    confirm = client.get("/console/disaster/on?reason=大雨警報").get_data(as_text=True)
    assert "よろしいですか" in confirm and "大雨警報" in confirm
    assert current_mode(app) is None  # the confirm page changes nothing
    token = csrf_for(client, "/console/disaster")
    done = client.post("/console/disaster/on?reason=大雨警報", data={"csrf_token": token}, follow_redirects=True)
    assert "災害モードにしました" in done.get_data(as_text=True)
    assert app.extensions["gateway"].default_rich_menu_id() == published.menu_ids["disaster"]
    for page in ("/console", "/console/classes", "/console/disaster"):
        html = client.get(page).get_data(as_text=True)
        assert 'class="disaster-banner"' in html and "大雨警報" in html, page
    client.post("/console/disaster/off", data={"csrf_token": token})
    assert "disaster-banner" not in client.get("/console").get_data(as_text=True)
    assert app.extensions["gateway"].default_rich_menu_id() == published.menu_ids["kurashi"]
    with app.extensions["db"].read_sessions() as session:
        audit = session.execute(select(AuditEntry.action, AuditEntry.actor).order_by(AuditEntry.id)).all()
    assert [tuple(row) for row in audit if row[0].startswith("disaster.")] == [
        ("disaster.on", "approver-user"), ("disaster.off", "approver-user")]


@pytest.mark.parametrize("role", ["author", "viewer"])
def test_other_roles_cannot_switch(client, login_as, published, app, role):
    login_as(role)
    assert client.get("/console/disaster").status_code == 403
    token = csrf_for(client, "/console")
    client.post("/console/disaster/on?reason=訓練", data={"csrf_token": token})
    assert current_mode(app) is None


def test_a_line_failure_leaves_the_mode_unchanged_and_says_so(client, login_as, app, sim):
    login_as("admin")  # nothing published: the disaster menu cannot be shown
    token = csrf_for(client, "/console/disaster")
    failed = client.post("/console/disaster/on?reason=大雨警報", data={"csrf_token": token})
    assert failed.status_code == 502 and "モードは変わっていません" in failed.get_data(as_text=True)
    assert current_mode(app) is None
