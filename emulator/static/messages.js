// Renderers for LINE message objects (the JSON the bot sends), one per type.
import { el, linkifiedText } from "./dom.js";
import { renderFlexContainer } from "./flex.js";

/** Render one bot message; runAction(action) is called when something is tapped. */
export function renderMessage(message, runAction) {
  const render = RENDERERS[message?.type];
  if (!render) return placeholder(`[${message?.type ?? "unknown"}]`);
  try {
    return render(message, runAction);
  } catch (error) {
    console.warn("could not render message", message, error);
    return fallback(message);
  }
}

const RENDERERS = {
  text: renderText,
  textV2: renderText,
  flex: (message, runAction) => el("div", {
    class: message.contents?.type === "carousel" ? "msg-flex msg-wide" : "msg-flex",
  }, [renderFlexContainer(message.contents, runAction)]),
  template: renderTemplate,
  image: renderImage,
  sticker: renderSticker,
  location: renderLocation,
};

function renderText(message) {
  return el("div", { class: "msg-bubble msg-text" }, [linkifiedText(message.text)]);
}

function placeholder(label) {
  return el("div", { class: "msg-placeholder", text: label });
}

/** Used when a message cannot be drawn: its altText if it has one. */
function fallback(message) {
  const label = message?.altText ? `[${message.type}] ${message.altText}` : `[${message?.type}]`;
  return placeholder(label);
}

function renderImage(message) {
  const img = el("img", { class: "msg-image", src: message.previewImageUrl || message.originalContentUrl || "", alt: "画像" });
  const frame = el("div", { class: "msg-image-frame" }, [img]);
  img.addEventListener("error", () => frame.replaceChildren(placeholder("[画像]")));
  return frame;
}

function renderSticker(message) {
  return el("div", { class: "msg-sticker" }, [
    el("div", { class: "msg-sticker-face", text: "スタンプ" }),
    el("div", { class: "msg-sticker-id", text: `${message.packageId ?? "?"} / ${message.stickerId ?? "?"}` }),
  ]);
}

function renderLocation(message) {
  return el("div", { class: "msg-bubble msg-location" }, [
    el("div", { class: "msg-location-title", text: `📍 ${message.title ?? "位置情報"}` }),
    el("div", { class: "msg-location-address", text: message.address ?? "" }),
  ]);
}

// ---- templates ----------------------------------------------------------

const TEMPLATES = {
  buttons: (template, runAction) => templateCard(template, runAction),
  confirm: renderConfirm,
  carousel: (template, runAction) => el("div", { class: "tpl-carousel msg-wide" },
    (template.columns ?? []).map((column) => templateCard({
      ...column,
      imageAspectRatio: template.imageAspectRatio,
      imageSize: template.imageSize,
    }, runAction))),
  image_carousel: (template, runAction) => el("div", { class: "tpl-carousel msg-wide" },
    (template.columns ?? []).map((column) => imageColumn(column, runAction))),
};

function renderTemplate(message, runAction) {
  const render = TEMPLATES[message.template?.type];
  if (!render) return fallback(message);
  return render(message.template, runAction);
}

function actionButton(action, runAction, className = "tpl-action") {
  return el("button", {
    type: "button",
    class: className,
    text: action?.label ?? "",
    onclick: (event) => {
      event.stopPropagation();
      runAction(action);
    },
  });
}

/** A buttons template, or one column of a carousel template. */
function templateCard(template, runAction) {
  const card = el("div", { class: "tpl-card" });
  if (template.thumbnailImageUrl) {
    const img = el("img", { src: template.thumbnailImageUrl, alt: "" });
    img.style.objectFit = template.imageSize === "contain" ? "contain" : "cover";
    const frame = el("div", { class: "tpl-image" }, [img]);
    frame.style.aspectRatio = template.imageAspectRatio === "square" ? "1 / 1" : "1.51 / 1";
    if (template.imageBackgroundColor) frame.style.backgroundColor = template.imageBackgroundColor;
    img.addEventListener("error", () => frame.classList.add("tpl-image-broken"));
    card.append(frame);
  }
  const content = el("div", { class: "tpl-content" }, [
    template.title ? el("div", { class: "tpl-title", text: template.title }) : null,
    el("div", { class: template.title ? "tpl-text tpl-text-sub" : "tpl-text", text: template.text ?? "" }),
  ]);
  card.append(content);
  if (template.defaultAction) {
    content.classList.add("tpl-tappable");
    content.addEventListener("click", () => runAction(template.defaultAction));
  }
  card.append(el("div", { class: "tpl-actions" },
    (template.actions ?? []).map((action) => actionButton(action, runAction))));
  return card;
}

function renderConfirm(template, runAction) {
  return el("div", { class: "tpl-card tpl-confirm" }, [
    el("div", { class: "tpl-content" }, [el("div", { class: "tpl-text", text: template.text ?? "" })]),
    el("div", { class: "tpl-confirm-actions" },
      (template.actions ?? []).map((action) => actionButton(action, runAction))),
  ]);
}

function imageColumn(column, runAction) {
  const img = el("img", { src: column.imageUrl ?? "", alt: "" });
  const node = el("button", { type: "button", class: "tpl-image-column", onclick: () => runAction(column.action) }, [
    img,
    column.action?.label ? el("span", { class: "tpl-image-label", text: column.action.label }) : null,
  ]);
  img.addEventListener("error", () => node.classList.add("tpl-image-broken"));
  return node;
}
