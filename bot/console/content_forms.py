"""Editing a content row staff keep (a procedure, a life event, an online link, the city's
contact, a venue): its fields as a form, saving with an audit entry, and 「内容を確認済みにする」
(確認日 today, no longer sample). The areas `procedures` and `city` describe their rows with
`Field`s and share this one form page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import flash, redirect, render_template, request

from bot import audit, web
from bot.console.auth import current_actor
from bot.console.pages import local_zone
from bot.db import utcnow
from bot.models import StaffRole

EDITORS = (StaffRole.AUTHOR,)


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # text, textarea, url, checkbox, yaml
    hint: str = ""
    max_length: int = 200
    required: bool = False


@dataclass(frozen=True)
class EditPage:
    """One kind of row: how it is titled, its fields, its audit action and where it lives."""

    kind_label: str
    fields: Sequence[Field]
    audit_action: str
    back_url: Callable[[], str]
    back_label: str
    # Turns the form's raw values into the row's values; raises ValueError with a message for staff.
    clean: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    # Turns a stored value into the form's text (the tree into YAML).
    show: Callable[[str, Any], Any] | None = None


def form_values(page: EditPage) -> dict[str, Any]:
    return {f.name: (request.form.get(f.name) == "1") if f.kind == "checkbox" else request.form.get(f.name, "").strip()
            for f in page.fields}


def _errors(page: EditPage, values: dict[str, Any]) -> dict[str, str]:
    errors = {}
    for f in page.fields:
        value = values[f.name]
        if f.required and not value:
            errors[f.name] = f"{f.label}を入れてください。"
        elif isinstance(value, str) and f.kind != "yaml" and len(value) > f.max_length:
            errors[f.name] = f"{f.label}は{f.max_length}文字以内にしてください。"
        elif f.kind == "url" and value and not value.startswith("https://"):
            errors[f.name] = "https:// で始まるアドレスを入れてください。"
    return errors


def render(page: EditPage, record: Any, values: dict[str, Any] | None = None,
           errors: dict[str, str] | None = None, action_url: str = "", verify_url: str = "", status: int = 200):
    if values is None:
        values = {f.name: page.show(f.name, getattr(record, f.name)) if page.show else getattr(record, f.name)
                  for f in page.fields}
    return render_template("console/content/edit.html", page=page, record=record, values=values,
                           errors=errors or {}, action_url=action_url, verify_url=verify_url), status


def save(page: EditPage, record: Any, key: str, action_url: str, verify_url: str, is_new: bool = False):
    """POST of the form: checks, writes, audits and goes back to the list."""
    values = form_values(page)
    errors = _errors(page, values)
    cleaned = values
    if not errors and page.clean is not None:
        try:
            cleaned = page.clean(values)
        except ValueError as exc:
            errors = {"_form": str(exc)}
    if errors:
        return render(page, record, values, errors, action_url, verify_url, 400)
    session = web.db_session()
    if is_new:
        session.add(record)
    changed = sorted(name for name, value in cleaned.items() if getattr(record, name, None) != value)
    for name, value in cleaned.items():
        setattr(record, name, value)
    record.updated_at = utcnow()
    audit.record(session, current_actor(), page.audit_action, target=key, changed=changed, created=is_new)
    session.commit()
    flash(f"「{key}」を保存しました。" if changed or is_new else "変更はありませんでした。", "success")
    return redirect(page.back_url())


def verify(page: EditPage, record: Any, key: str):
    """「内容を確認済みにする」: 確認日 today (Japan), by this staff member; no longer sample."""
    session = web.db_session()
    record.verified_on = datetime.now(local_zone()).date()
    record.verified_by = current_actor()
    record.sample = False
    audit.record(session, current_actor(), page.audit_action.removesuffix("edit") + "verify", target=key)
    session.commit()
    flash(f"「{key}」を確認済みにしました。", "success")
    return redirect(page.back_url())
