"""`/p/<code>`: a saved checklist as a web page the resident shows at the counter (総合窓口).

No login and nothing about the resident on it: the life event, the answers as choices, the
procedures as staff keep them today, the number and until when it is kept. Unknown or expired
numbers get the same page saying so (a number cannot be told from an expired one)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, render_template

from bot import web
from bot.db import utcnow
from bot.procedures import guide

bp = Blueprint("procedures_page", __name__, template_folder="templates")


@bp.get("/p/<code>")
def checklist_page(code: str):
    """Show a saved checklist to staff at the counter."""
    session = web.db_session()
    saved = guide.find_saved(session, code, utcnow())
    found = guide.saved_checklist(session, saved) if saved is not None else None
    if saved is None or found is None:
        return render_template("procedures/counter.html", found=None), 404
    until = saved.expires_at.astimezone(ZoneInfo(web.settings().timezone))
    response = render_template("procedures/counter.html", found=found, code=saved.code, until=until)
    return response, 200, {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
