"""Rich menus, their images, the default menu, per-user links and aliases."""

import secrets

MAX_RICH_MENUS = 1000
MAX_ALIASES = 1000


class RichMenuStore:
    """Everything LINE keeps about a channel's rich menus; callers hold the channel lock."""

    def __init__(self):
        self.menus = {}  # richMenuId -> the menu JSON as GET returns it
        self.images = {}  # richMenuId -> (content type, bytes)
        self.default_id = None
        self.user_links = {}  # user id -> richMenuId
        self.aliases = {}  # richMenuAliasId -> richMenuId

    def create(self, menu):
        rich_menu_id = "richmenu-" + secrets.token_hex(16)
        self.menus[rich_menu_id] = {"richMenuId": rich_menu_id, **menu}
        return rich_menu_id

    def delete(self, rich_menu_id):
        """Forget a menu, its image, and every link to it; aliases stay and dangle, as on LINE."""
        del self.menus[rich_menu_id]
        self.images.pop(rich_menu_id, None)
        if self.default_id == rich_menu_id:
            self.default_id = None
        self.user_links = {u: m for u, m in self.user_links.items() if m != rich_menu_id}

    def has_image(self, rich_menu_id):
        return rich_menu_id in self.images

    def menu_seen_by(self, user_id):
        """The menu a user sees: their own link, else the default, else None."""
        return self.user_links.get(user_id) or self.default_id
