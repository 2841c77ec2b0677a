// The rich menu under the chat: the menu image scaled to the phone width with
// invisible tappable areas laid over it at the menu's bounds.
import { api } from "./api.js";
import { el } from "./dom.js";

export class RichMenuView {
  /** runAction(action) runs an area's action. */
  constructor(root, runAction) {
    this.root = root;
    this.runAction = runAction;
    this.menuId = null;
    this.menu = null;
    this.cache = new Map();
  }

  /** Show the menu with this id (null clears it). Resolves to the rich menu object or null. */
  async load(menuId) {
    if (!menuId) {
      this.clear();
      return null;
    }
    if (menuId === this.menuId) return this.menu;
    let menu = this.cache.get(menuId);
    if (!menu) {
      menu = await api.richMenu(menuId);
      this.cache.set(menuId, menu);
    }
    this.menuId = menuId;
    this.menu = menu;
    this.root.replaceChildren(this.build(menuId, menu));
    return menu;
  }

  clear() {
    this.menuId = null;
    this.menu = null;
    this.root.replaceChildren();
  }

  build(menuId, menu) {
    const width = Number(menu.size?.width) || 2500;
    const height = Number(menu.size?.height) || 1686;
    const frame = el("div", { class: "richmenu-frame", "data-richmenu-id": menuId });
    frame.style.aspectRatio = `${width} / ${height}`;
    frame.append(el("img", { class: "richmenu-img", src: api.richMenuImageUrl(menuId), alt: menu.name ?? "" }));
    (menu.areas ?? []).forEach((area, index) => frame.append(this.area(area, index, width, height)));
    return frame;
  }

  area(area, index, width, height) {
    const bounds = area.bounds ?? {};
    const percent = (value, total) => `${(100 * (Number(value) || 0)) / total}%`;
    const action = area.action ?? {};
    const node = el("button", {
      type: "button",
      class: "richmenu-area",
      title: action.label || action.displayText || action.text || `エリア${index + 1}`,
      "data-area-index": index,
      onclick: () => this.runAction(area.action),
    });
    Object.assign(node.style, {
      left: percent(bounds.x, width),
      top: percent(bounds.y, height),
      width: percent(bounds.width, width),
      height: percent(bounds.height, height),
    });
    return node;
  }
}
