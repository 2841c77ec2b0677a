// The chat timeline: renders transcript entries (user events and bot
// messages) incrementally, oldest first, like a LINE chat room.
import { api } from "./api.js";
import { STICKERS } from "./attach.js";
import { clockLabel, dayLabel, el, linkifiedText, toDate } from "./dom.js";
import { renderMessage } from "./messages.js";

const ACCOUNT_NAME = "美祢市";

export class ChatView {
  /** root: the scrolling chat element; runAction(action) runs a tapped action. */
  constructor(root, runAction) {
    this.root = root;
    this.runAction = runAction;
    this.stickToBottom = true;
    this.lastScrollTop = 0;
    // Only scrolling up lets go of the bottom: layout changes (images, quick replies)
    // also fire scroll events and must not.
    root.addEventListener("scroll", () => {
      if (root.scrollHeight - root.scrollTop - root.clientHeight < 40) this.stickToBottom = true;
      else if (root.scrollTop < this.lastScrollTop) this.stickToBottom = false;
      this.lastScrollTop = root.scrollTop;
    });
    // Images load and the composer grows after layout; keep the newest message in view.
    root.addEventListener("load", () => this.stickToBottom && this.scrollToBottom(), true);
    new ResizeObserver(() => this.stickToBottom && this.scrollToBottom()).observe(root);
    this.reset();
  }

  /** Forget everything shown (another user was chosen). */
  reset(emptyText = "") {
    this.count = 0;
    this.lastDay = null;
    this.lastFrom = null;
    this.root.replaceChildren();
    if (emptyText) this.root.append(el("div", { class: "chat-empty", text: emptyText }));
  }

  /** Show entries not shown yet; returns true when something was added. */
  update(entries) {
    if (entries.length < this.count) this.reset();
    if (entries.length === this.count) return false;
    if (this.count === 0) this.root.replaceChildren();
    for (let index = this.count; index < entries.length; index += 1) {
      this.append(entries[index]);
    }
    this.count = entries.length;
    this.scrollToBottom();
    return true;
  }

  scrollToBottom() {
    this.root.scrollTop = this.root.scrollHeight;
    this.stickToBottom = true;
  }

  append(entry) {
    const date = toDate(entry.at);
    const day = dayLabel(date);
    if (day && day !== this.lastDay) {
      this.root.append(el("div", { class: "chat-day" }, [el("span", { text: day })]));
      this.lastDay = day;
      this.lastFrom = null;
    }
    const node = entry.from === "bot" ? this.botRow(entry, date) : this.userRow(entry, date);
    if (node) this.root.append(node);
    this.lastFrom = node ? entry.from : this.lastFrom;
  }

  botRow(entry, date) {
    // A message may name another sender (LINE's `sender` property); a new name starts a group.
    const sender = entry.message?.sender?.name || ACCOUNT_NAME;
    const first = this.lastFrom !== "bot" || this.lastSender !== sender;
    this.lastSender = sender;
    const content = renderMessage(entry.message, this.runAction);
    // Carousels use the whole width, with the time under them.
    const wide = content.classList.contains("msg-wide") ? " row-wide" : "";
    return el("div", { class: `row row-bot${first ? " row-first" : ""}${wide}`, "data-via": entry.via }, [
      el("div", { class: "avatar", "aria-hidden": "true" }, first ? [el("span", { text: "美" })] : []),
      el("div", { class: "row-main" }, [
        first ? el("div", { class: "sender", text: sender }) : null,
        el("div", { class: "row-line" }, [content, el("div", { class: "meta", text: clockLabel(date) })]),
      ]),
    ]);
  }

  userRow(entry, date) {
    const event = entry.event ?? {};
    if (event.type === "follow") return systemLine("友だち追加しました");
    if (event.type === "unfollow") return systemLine("ブロックしました");
    const content = userContent(event, entry.display_text);
    if (!content) return null;
    return el("div", { class: "row row-user" }, [
      el("div", { class: "row-line" }, [
        el("div", { class: "meta" }, [el("div", { text: "既読" }), el("div", { text: clockLabel(date) })]),
        content,
      ]),
    ]);
  }
}

function systemLine(text) {
  return el("div", { class: "chat-system" }, [el("span", { text })]);
}

/** What the person sees of their own event; null for events LINE shows nothing for. */
function userContent(event, displayText) {
  if (event.type === "postback") {
    return displayText ? userBubble(displayText) : null;
  }
  if (event.type !== "message") return displayText ? userBubble(displayText) : null;
  const message = event.message ?? {};
  switch (message.type) {
    case "text":
      return userBubble(message.text ?? displayText ?? "");
    case "location":
      return el("div", { class: "msg-bubble msg-user msg-location" }, [
        el("div", { class: "msg-location-title", text: `📍 ${message.title || "位置情報"}` }),
        el("div", { class: "msg-location-address", text: message.address ?? "" }),
      ]);
    case "sticker": {
      const sticker = STICKERS.find((s) => s.stickerId === message.stickerId);
      return el("div", { class: "msg-sticker msg-user-sticker" }, [
        el("div", { class: "msg-sticker-face", text: sticker?.face ?? "スタンプ" }),
        sticker ? el("div", { class: "msg-sticker-id", text: sticker.label }) : null,
      ]);
    }
    case "image":
      return el("div", { class: "msg-image-frame msg-user-image" }, [
        el("img", { class: "msg-image", src: api.contentUrl(message.id), alt: "送信した写真" }),
      ]);
    default:
      return el("div", { class: "msg-placeholder", text: displayText || `[${message.type}]` });
  }
}

function userBubble(text) {
  return el("div", { class: "msg-bubble msg-user msg-text" }, [linkifiedText(text)]);
}
