"""`/api/notices`: the city's published notices as JSON for the website (GET, public), and
notices created by other city systems (POST: the 防災 system, the mail service) with a bearer
token issued in the console. Bad input gets 400 with a Japanese `message` and per-field
`details`; a missing or wrong token gets 401.

    curl -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \\
         -d '{"kind": "weather", "title": "大雨警報", "body": "...", "areas": ["mito"]}' \\
         https://.../api/notices
"""

from __future__ import annotations

import json
import math
from datetime import timedelta
from typing import Any

from flask import Blueprint, jsonify, request

from bot import web
from bot.db import utcnow
from bot.friends import AREAS
from bot.models import Notice, NoticeStatus
from bot.notices.drafting import NoticeDraft, create_notice
from bot.notices.errors import NoticeInvalid
from bot.notices.feeds import CACHE, FEED_SIZE, area_filter, display_title, iso_time
from bot.notices.lifecycle import progress
from bot.notices.public import page_url
from bot.notices.reading import content_of, published_notices
from bot.staff import api_tokens
from messages import catalogue as say

bp = Blueprint("notice_api", __name__)

UNAUTHORIZED = "認証が必要です。発行されたAPIトークンを「Authorization: Bearer トークン」で送ってください。"
INVALID = "入力内容に誤りがあります。details を確認してください。"
RATE_LIMITED = "送信が多すぎます。{seconds}秒たってから、もう一度送ってください。"


def notice_url(notice_id: int) -> str:
    """The notice as JSON (this API)."""
    return f"{web.settings().public_base_url}/api/notices/{notice_id}"


def notice_json(notice: Notice) -> dict[str, Any]:
    content = content_of(notice)
    withdrawn = notice.status is NoticeStatus.WITHDRAWN
    return {
        "id": notice.id,
        "url": page_url(notice.id),  # the public web page residents open
        "api_url": notice_url(notice.id),
        "kind": content.kind,
        "kind_label": content.kind_label,
        "title": notice.title,
        "display_title": display_title(notice),
        "body": notice.body,
        "link": notice.link_url,
        "image": notice.image_url,
        "areas": list(notice.areas),
        "area_labels": list(content.area_labels) or [say.NOTICE_ALL_AREAS],
        "published_at": iso_time(notice.published_at),
        "updated_at": iso_time(content.updated_at),
        "status": "withdrawn" if withdrawn else "published",
        "withdrawal": {"at": iso_time(notice.withdrawn_at), "reason": notice.withdrawal_reason} if withdrawn else None,
    }


@bp.get("/api/notices")
def notices_json():
    """The city's published notices as JSON, newest first (`?area=mito` for one area)."""
    area, known = area_filter()
    if not known:
        return jsonify(message="地域は " + "、".join(f"{v}（{k}）" for k, v in AREAS.items()) + " のどれかです。"), 400
    notices = published_notices(web.db_session(), area=area, limit=FEED_SIZE)
    response = jsonify(title=say.FEED_TITLE, updated=iso_time(utcnow()), notices=[notice_json(n) for n in notices])
    response.headers["Cache-Control"] = CACHE
    return response


@bp.get("/api/notices/<int:notice_id>")
def notice_detail(notice_id: int):
    """One published notice as JSON."""
    notice = web.db_session().get(Notice, notice_id)
    if notice is None or notice.published_at is None:
        return jsonify(message="このお知らせはありません。"), 404
    return jsonify(notice_json(notice))


def _read_json() -> tuple[Any, str | None]:
    """The request's JSON, or a short reason it cannot be read (not JSON, nested too deep, or
    text that is not valid Unicode, such as a lone surrogate `\\ud800`)."""
    try:
        data = json.loads(request.get_data(cache=False))
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except RecursionError:
        return None, "JSON の入れ子が深すぎます。"
    except UnicodeError:
        return None, "文字として正しくない値（対になっていないサロゲートなど）が含まれています。"
    except ValueError:
        return None, "本文を JSON で送ってください。"
    return data, None


def _details(errors: dict[str, str]) -> list[dict[str, str]]:
    return [{"field": field, "message": message} for field, message in errors.items()]


@bp.post("/api/notices")
def create():
    """Creates a notice for another city system; it goes at `send_at` (now when absent)."""
    settings = web.settings()
    with web.database().transaction() as session:
        token = api_tokens.authenticate_bearer(session, request.headers.get("Authorization"))
        if token is None:
            response = jsonify(message=UNAUTHORIZED)
            response.headers["WWW-Authenticate"] = 'Bearer realm="notices"'
            return response, 401
        wait = api_tokens.take_request(session, token, utcnow(), settings.api_rate_limit,
                                       timedelta(seconds=settings.api_rate_window_s))
        if wait > timedelta(0):
            seconds = math.ceil(wait.total_seconds())
            response = jsonify(message=RATE_LIMITED.format(seconds=seconds))
            response.headers["Retry-After"] = str(seconds)
            return response, 429
        data, problem = _read_json()
        if problem:
            return jsonify(message=INVALID, details=_details({"_": problem})), 400
        try:
            notice = create_notice(session, NoticeDraft.from_json(data), api_tokens.api_actor(token), settings,
                                   utcnow(), source="api")
        except NoticeInvalid as exc:
            return jsonify(message=INVALID, details=_details(exc.errors)), 400
        state = progress(session, notice.id)
        answer = {
            "id": notice.id,
            "status": state.public_status,
            "state": notice.status.value,
            "send_at": notice.send_at.isoformat(),
            "targets": state.targets,
        }
    response = jsonify(answer)
    response.headers["Location"] = notice_url(answer["id"])
    return response, 201
