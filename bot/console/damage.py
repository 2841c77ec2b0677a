"""被害の報告 in the console: residents' reports newest first with the photo, a map link, the
time and the status (未対応 / 対応中 / 完了), filtered by status and category, and as CSV.

Everyone may look; staff other than viewers may change a report's status (audited). Photos are
served only here, behind the console's login."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import undefer

from bot import audit, damage, web
from bot.console.auth import current_actor, require_role
from bot.console.pages import get_or_404, local_zone
from bot.damage.export import reports_csv
from bot.db import utcnow
from bot.models import DamageCategory, DamageReport, PhotoState, ReportStatus, StaffRole
from bot.shelters import map_url

bp = Blueprint("damage", __name__, url_prefix="/console")
HANDLERS = (StaffRole.AUTHOR, StaffRole.APPROVER)


def _filters() -> tuple[ReportStatus | None, DamageCategory | None]:
    status, category = request.args.get("status", ""), request.args.get("category", "")
    return (ReportStatus(status) if status in ReportStatus._value2member_map_ else None,
            DamageCategory(category) if category in DamageCategory._value2member_map_ else None)


@bp.get("/damage")
def index():
    """List residents' damage reports, newest first, filtered by status and category."""
    status, category = _filters()
    session = web.db_session()
    reports = damage.list_reports(session, status, category)
    counts = damage.status_counts(session)
    return render_template(
        "console/damage/list.html", reports=reports, counts=counts, status=status, category=category,
        statuses=damage.STATUS_LABELS, categories=damage.CATEGORY_LABELS, photo_labels=damage.PHOTO_LABELS,
        map_url=map_url, stored=PhotoState.STORED,
    )


@bp.get("/damage/<int:report_id>/photo")
def photo(report_id: int):
    """The photo the resident sent with a report."""
    found = web.db_session().scalar(
        select(DamageReport).options(undefer(DamageReport.photo)).where(DamageReport.id == report_id))
    if found is None or found.photo_state is not PhotoState.STORED or not found.photo:
        abort(404)
    response = Response(found.photo, mimetype=found.photo_type or "image/jpeg")
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response


@bp.post("/damage/<int:report_id>/status")
@require_role(*HANDLERS)
def set_status(report_id: int):
    """Mark a report 未対応, 対応中 or 完了."""
    report, session = get_or_404(DamageReport, report_id), web.db_session()
    status = ReportStatus._value2member_map_.get(request.form.get("status", ""))
    if not isinstance(status, ReportStatus):
        abort(400)
    if damage.set_status(report, status, current_actor(), utcnow()):
        audit.record(session, current_actor(), "damage.status", target=report.receipt_no or str(report.id),
                     status=str(status))
        session.commit()
        flash(f"{report.receipt_no} を「{damage.STATUS_LABELS[status]}」にしました。", "success")
    return redirect(url_for("damage.index", **{k: v for k, v in request.args.items() if k in ("status", "category")}))


@bp.get("/damage/export.csv")
def export_csv():
    """Download the reports shown (same filters) as CSV for Excel."""
    status, category = _filters()
    session = web.db_session()
    body = reports_csv(damage.list_reports(session, status, category), local_zone())
    audit.record(session, current_actor(), "damage.export", status=str(status or ""), category=str(category or ""))
    session.commit()
    name = f"damage-reports-{datetime.now(local_zone()):%Y%m%d-%H%M}.csv"
    return Response(body, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})
