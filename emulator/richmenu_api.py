"""Rich menus and their images: create, validate, list, get, delete, upload, download."""

from flask import Blueprint, request

from emulator.line_errors import LineApiError, invalid_body, not_found, read_json_object
from emulator.richmenu_store import MAX_RICH_MENUS
from emulator.richmenu_validation import MAX_IMAGE_BYTES, check_rich_menu, image_size
from emulator.state import current_state

bp = Blueprint("richmenu_api", __name__, url_prefix="/v2/bot/richmenu")

MENU_FIELDS = ("size", "selected", "name", "chatBarText", "areas")


def valid_menu():
    body = read_json_object()
    problems = check_rich_menu(body)
    if problems:
        raise invalid_body(problems)
    return {name: body[name] for name in MENU_FIELDS}


def existing_menu(state, rich_menu_id):
    menu = state.richmenus.menus.get(rich_menu_id)
    if menu is None:
        raise not_found("richmenu not found")
    return menu


@bp.post("")
def create():
    """Create a rich menu (without its image)."""
    menu = valid_menu()
    state = current_state()
    with state.lock:
        if len(state.richmenus.menus) >= MAX_RICH_MENUS:
            raise LineApiError(400, f"The number of rich menus exceeds {MAX_RICH_MENUS}")
        return {"richMenuId": state.richmenus.create(menu)}


@bp.post("/validate")
def validate():
    """Check a rich menu object without creating it."""
    valid_menu()
    return {}


@bp.get("/list")
def list_menus():
    """Every rich menu of the channel."""
    state = current_state()
    with state.lock:
        return {"richmenus": list(state.richmenus.menus.values())}


@bp.get("/<rich_menu_id>")
def get(rich_menu_id):
    """One rich menu."""
    state = current_state()
    with state.lock:
        return existing_menu(state, rich_menu_id)


@bp.delete("/<rich_menu_id>")
def delete(rich_menu_id):
    """Delete a rich menu and unlink it from everyone."""
    state = current_state()
    with state.lock:
        existing_menu(state, rich_menu_id)
        state.richmenus.delete(rich_menu_id)
    return {}


@bp.post("/<rich_menu_id>/content")
def upload_image(rich_menu_id):
    """Attach the menu's image: a PNG or JPEG exactly the menu's size, at most 1 MB, once."""
    content_type = request.mimetype
    data = request.get_data()
    state = current_state()
    with state.lock:
        menu = existing_menu(state, rich_menu_id)
        if state.richmenus.has_image(rich_menu_id):
            raise LineApiError(400, "An image has already been uploaded to the richmenu")
    if content_type not in ("image/png", "image/jpeg"):
        raise LineApiError(400, "Content-Type must be image/jpeg or image/png")
    if len(data) > MAX_IMAGE_BYTES:
        raise LineApiError(400, "The image must be at most 1 MB")
    dimensions = image_size(data, content_type)
    if dimensions is None:
        raise LineApiError(400, f"The body is not a valid {content_type} image")
    expected = (menu["size"]["width"], menu["size"]["height"])
    if tuple(dimensions) != expected:
        raise LineApiError(400, "The image size {}x{} does not match the rich menu size {}x{}"
                           .format(*dimensions, *expected))
    with state.lock:
        if state.richmenus.has_image(rich_menu_id):
            raise LineApiError(400, "An image has already been uploaded to the richmenu")
        state.richmenus.images[rich_menu_id] = (content_type, data)
    return {}


@bp.get("/<rich_menu_id>/content")
def download_image(rich_menu_id):
    """The menu's image, as uploaded."""
    state = current_state()
    with state.lock:
        existing_menu(state, rich_menu_id)
        image = state.richmenus.images.get(rich_menu_id)
    if image is None:
        raise not_found("richmenu image not found")
    content_type, data = image
    return data, 200, {"Content-Type": content_type}
