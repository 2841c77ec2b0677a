"""Which rich menu users see: the default menu, per-user links, bulk links, and aliases."""

import re

from flask import Blueprint

from emulator.line_errors import LineApiError, detail, invalid_body, not_found, read_json_object
from emulator.richmenu_api import existing_menu
from emulator.richmenu_store import MAX_ALIASES
from emulator.state import current_state, found

bp = Blueprint("richmenu_links_api", __name__, url_prefix="/v2/bot")

USER_ID = re.compile(r"^U[0-9a-f]{32}$")
ALIAS_ID = re.compile(r"^[a-z0-9_-]{1,32}$")
MAX_BULK_USERS = 500


def linkable_menu(state, rich_menu_id):
    """A menu that can be shown to users: it must exist and have its image."""
    existing_menu(state, rich_menu_id)
    if not state.richmenus.has_image(rich_menu_id):
        raise LineApiError(400, "must upload richmenu image before applying it to user")
    return rich_menu_id


def checked_user_id(user_id, prop="userId"):
    if not isinstance(user_id, str) or not USER_ID.match(user_id):
        raise invalid_body([detail("Must be a valid user ID", prop)])
    return user_id


@bp.post("/user/all/richmenu/<rich_menu_id>")
def set_default(rich_menu_id):
    """Show this menu to everyone without a menu of their own."""
    state = current_state()
    with state.lock:
        state.richmenus.default_id = linkable_menu(state, rich_menu_id)
    return {}


@bp.get("/user/all/richmenu")
def get_default():
    """The default menu's id."""
    state = current_state()
    with state.lock:
        if state.richmenus.default_id is None:
            raise not_found("no default richmenu")
        return {"richMenuId": state.richmenus.default_id}


@bp.delete("/user/all/richmenu")
def clear_default():
    """Stop showing a default menu."""
    state = current_state()
    with state.lock:
        state.richmenus.default_id = None
    return {}


@bp.post("/user/<user_id>/richmenu/<rich_menu_id>")
def link_user(user_id, rich_menu_id):
    """Show this menu to one user."""
    checked_user_id(user_id)
    state = current_state()
    with state.lock:
        state.richmenus.user_links[user_id] = linkable_menu(state, rich_menu_id)
    return {}


@bp.get("/user/<user_id>/richmenu")
def get_user_link(user_id):
    """The menu linked to one user (not the default)."""
    rich_menu_id = found(lambda state: state.richmenus.user_links.get(user_id), not_found("the user has no richmenu"))
    return {"richMenuId": rich_menu_id}


@bp.delete("/user/<user_id>/richmenu")
def unlink_user(user_id):
    """Let one user see the default menu again."""
    checked_user_id(user_id)
    state = current_state()
    with state.lock:
        state.richmenus.user_links.pop(user_id, None)
    return {}


def bulk_user_ids(body):
    user_ids = body.get("userIds")
    if not isinstance(user_ids, list) or not 1 <= len(user_ids) <= MAX_BULK_USERS:
        raise invalid_body([detail(f"Size must be between 1 and {MAX_BULK_USERS}", "userIds")])
    return [checked_user_id(u, f"userIds[{i}]") for i, u in enumerate(user_ids)]


@bp.post("/richmenu/bulk/link")
def bulk_link():
    """Show one menu to up to 500 users."""
    body = read_json_object()
    user_ids = bulk_user_ids(body)
    state = current_state()
    with state.lock:
        rich_menu_id = linkable_menu(state, body.get("richMenuId"))
        state.richmenus.user_links.update(dict.fromkeys(user_ids, rich_menu_id))
    return {}, 202


@bp.post("/richmenu/bulk/unlink")
def bulk_unlink():
    """Remove the per-user menus of up to 500 users."""
    user_ids = bulk_user_ids(read_json_object())
    state = current_state()
    with state.lock:
        for user_id in user_ids:
            state.richmenus.user_links.pop(user_id, None)
    return {}, 202


@bp.post("/richmenu/alias")
def create_alias():
    """Name a menu so that richmenuswitch actions can switch to it."""
    body = read_json_object()
    alias_id = body.get("richMenuAliasId")
    if not isinstance(alias_id, str) or not ALIAS_ID.match(alias_id):
        raise invalid_body([detail("Must match ^[a-z0-9_-]{1,32}$", "richMenuAliasId")])
    state = current_state()
    with state.lock:
        aliases = state.richmenus.aliases
        if alias_id in aliases:
            raise LineApiError(400, "conflict richmenu alias id")
        if len(aliases) >= MAX_ALIASES:
            raise LineApiError(400, f"The number of rich menu aliases exceeds {MAX_ALIASES}")
        aliases[alias_id] = linkable_menu(state, body.get("richMenuId"))
    return {}


@bp.get("/richmenu/alias/list")
def list_aliases():
    """Every alias and its menu."""
    state = current_state()
    with state.lock:
        return {"aliases": [{"richMenuAliasId": a, "richMenuId": m}
                            for a, m in state.richmenus.aliases.items()]}


@bp.get("/richmenu/alias/<alias_id>")
def get_alias(alias_id):
    """One alias and its menu."""
    rich_menu_id = found(lambda state: state.richmenus.aliases.get(alias_id), not_found("richmenu alias not found"))
    return {"richMenuAliasId": alias_id, "richMenuId": rich_menu_id}


@bp.post("/richmenu/alias/<alias_id>")
def update_alias(alias_id):
    """Point an alias at another menu."""
    body = read_json_object()
    state = current_state()
    with state.lock:
        if alias_id not in state.richmenus.aliases:
            raise not_found("richmenu alias not found")
        state.richmenus.aliases[alias_id] = linkable_menu(state, body.get("richMenuId"))
    return {}


@bp.delete("/richmenu/alias/<alias_id>")
def delete_alias(alias_id):
    """Forget an alias (the menu stays)."""
    state = current_state()
    with state.lock:
        if state.richmenus.aliases.pop(alias_id, None) is None:
            raise not_found("richmenu alias not found")
    return {}
