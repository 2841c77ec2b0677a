"""`POST /api/notices`: other city systems (the 防災 system, the mail service) create notices
with a bearer token issued in the console. Bad input gets 400 with a Japanese `message` and
per-field `details`; a missing or wrong token gets 401.

    curl -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \\
         -d '{"kind": "weather", "title": "大雨警報", "body": "...", "areas": ["mito"]}' \\
         https://.../api/notices
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from bot import web
from bot.staff import api_tokens
from bot.db import utcnow
from bot.notices.drafting import NoticeDraft, create_notice
from bot.notices.errors import NoticeInvalid
from bot.notices.lifecycle import progress

bp = Blueprint("notice_api", __name__)

UNAUTHORIZED = "認証が必要です。発行されたAPIトークンを「Authorization: Bearer トークン」で送ってください。"
INVALID = "入力内容に誤りがあります。details を確認してください。"


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
        data = request.get_json(force=True, silent=True)
        if data is None:
            return jsonify(message=INVALID, details=_details({"_": "本文を JSON で送ってください。"})), 400
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
    response.headers["Location"] = f"{settings.public_base_url}/api/notices/{answer['id']}"
    return response, 201
