"""Item 8: ids of 2^63 and more, huge `?from=` values, a lone surrogate and JSON nested 10,000
deep are a 400 or 404 with a short message, never a server error (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from tests.notices.test_feeds_and_api import issue_token

HUGE = ["9223372036854775808", "18446744073709551616", "9" * 40]


@pytest.mark.parametrize("number", HUGE)
def test_the_public_api_answers_404_for_an_id_beyond_64_bits(client, number):
    response = client.get(f"/api/notices/{number}")
    assert response.status_code == 404


def test_every_console_url_with_an_id_answers_404_for_a_huge_one(app, client, login_as):
    login_as("admin")
    checked = 0
    for rule in app.url_map.iter_rules():
        if "<int:" not in rule.rule:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            for number in HUGE:
                url = rule.rule
                for argument in rule.arguments:
                    url = url.replace(f"<int:{argument}>", number)
                response = client.open(url, method=method)
                assert response.status_code in (400, 404), f"{method} {url} -> {response.status_code}"
                checked += 1
    assert checked >= 3 * 20


@pytest.mark.parametrize("path", ["/console/notices/new?from={}", "/console/classes/new?from={}",
                                  "/console/faq/new?from_ask={}", "/console/notices?page={}", "/console/audit?page={}"])
@pytest.mark.parametrize("number", [*HUGE, "-1", "1e9", "１２"])
def test_huge_or_odd_numbers_in_the_query_string_are_ignored(client, login_as, path, number):
    login_as("admin")
    response = client.get(path.format(number))
    assert response.status_code == 200


def test_post_api_notices_with_a_lone_surrogate_or_deep_json_is_a_short_400(client, database):
    token = issue_token(database)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    bodies = {
        "surrogate title": b'{"title": "\\ud800", "body": "x"}',
        "surrogate area": b'{"title": "t", "body": "x", "areas": ["\\udfff"]}',
        "deep": b"[" * 10_000 + b"]" * 10_000,
        "deep object": b'{"title": ' + b'{"a": ' * 10_000 + b"1" + b"}" * 10_001,
        "not utf-8": b'{"title": "\xff"}',
    }
    for name, body in bodies.items():
        response = client.post("/api/notices", headers=headers, data=body)
        assert response.status_code == 400, name
        assert len(response.get_data()) < 400, name
        assert response.json["message"]
