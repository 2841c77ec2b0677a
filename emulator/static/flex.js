// Renderer for LINE Flex Message containers (bubble, carousel) and their
// components. Unknown properties are ignored; unknown component types render
// as nothing. Scales follow LINE's defaults; px and % values are honoured.
import { el } from "./dom.js";

const SPACING = { none: 0, xs: 2, sm: 4, md: 8, lg: 12, xl: 16, xxl: 20 };
const TEXT_SIZE = { xxs: 11, xs: 13, sm: 14, md: 16, lg: 19, xl: 22, xxl: 29, "3xl": 35, "4xl": 48, "5xl": 74 };
const IMAGE_SIZE = { xxs: 40, xs: 60, sm: 80, md: 100, lg: 120, xl: 140, xxl: 160, "3xl": 180, "4xl": 200, "5xl": 220 };
const BORDER_WIDTH = { none: 0, light: 0.5, normal: 1, medium: 2, "semi-bold": 3, bold: 4 };
const CORNER_RADIUS = { none: 0, xs: 2, sm: 4, md: 8, lg: 12, xl: 16, xxl: 20 };
const BUBBLE_WIDTH = { nano: 120, micro: 160, deca: 220, hecto: 241, kilo: 260, mega: 300, giga: 386 };
const JUSTIFY = { "flex-start": "flex-start", center: "center", "flex-end": "flex-end", "space-between": "space-between", "space-around": "space-around", "space-evenly": "space-evenly" };
const ALIGN_SELF = { start: "flex-start", top: "flex-start", center: "center", end: "flex-end", bottom: "flex-end" };
const BLOCKS = ["header", "hero", "body", "footer"];

/** A keyword from scale, or a literal "12px" / "50%"; undefined otherwise. */
function length(value, scale = {}) {
  if (value === undefined || value === null) return undefined;
  if (Object.hasOwn(scale, value)) return `${scale[value]}px`;
  return /^-?\d+(\.\d+)?(px|%)$/.test(String(value)) ? String(value) : undefined;
}

function ratio(value, fallback) {
  const match = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(String(value ?? ""));
  return match && Number(match[2]) > 0 ? `${match[1]} / ${match[2]}` : fallback;
}

function isHorizontal(layout) {
  return layout === "horizontal" || layout === "baseline";
}

/** Render a flex container (the `contents` of a flex message). Throws on an unusable one. */
export function renderFlexContainer(container, runAction) {
  const ctx = { runAction, layout: "vertical" };
  if (container?.type === "bubble") return renderBubble(container, ctx);
  if (container?.type === "carousel" && Array.isArray(container.contents)) {
    return el("div", { class: "fx-carousel" }, container.contents
      .filter((bubble) => bubble?.type === "bubble")
      .map((bubble) => renderBubble(bubble, ctx)));
  }
  throw new Error(`unknown flex container: ${container?.type}`);
}

function renderBubble(bubble, ctx) {
  const size = BUBBLE_WIDTH[bubble.size] ? bubble.size : "mega";
  const node = el("div", { class: `fx-bubble fx-size-${size}`, dir: bubble.direction === "rtl" ? "rtl" : undefined });
  node.style.width = `${BUBBLE_WIDTH[size]}px`;
  for (const block of BLOCKS) {
    const component = bubble[block];
    if (!component) continue;
    const rendered = renderComponent(component, { ...ctx, layout: "vertical" });
    if (!rendered) continue;
    const style = bubble.styles?.[block] ?? {};
    const blockNode = el("div", { class: `fx-block fx-${block}` }, [rendered]);
    if (style.backgroundColor) blockNode.style.backgroundColor = style.backgroundColor;
    if (style.separator && node.childElementCount > 0) {
      blockNode.style.borderTop = `1px solid ${style.separatorColor || "#e5e5e5"}`;
    }
    node.append(blockNode);
  }
  return tappable(node, bubble.action, ctx);
}

const COMPONENTS = {
  box: renderBox,
  text: renderText,
  button: renderButton,
  image: renderImage,
  icon: renderIcon,
  separator: renderSeparator,
  filler: renderFiller,
  spacer: renderSpacer,
  video: (video, ctx) => (video.altContent ? renderComponent(video.altContent, ctx) : null),
};

function renderComponent(component, ctx) {
  const render = component && COMPONENTS[component.type];
  return render ? render(component, ctx) : null;
}

function renderBox(box, ctx) {
  const layout = ["horizontal", "baseline"].includes(box.layout) ? box.layout : "vertical";
  const node = el("div", { class: `fx-box fx-${layout}` });
  const style = node.style;
  style.padding = length(box.paddingAll, SPACING) ?? "";
  setIfDefined(style, "paddingTop", length(box.paddingTop, SPACING));
  setIfDefined(style, "paddingBottom", length(box.paddingBottom, SPACING));
  setIfDefined(style, "paddingInlineStart", length(box.paddingStart, SPACING));
  setIfDefined(style, "paddingInlineEnd", length(box.paddingEnd, SPACING));
  setIfDefined(style, "backgroundColor", box.backgroundColor);
  setIfDefined(style, "borderRadius", length(box.cornerRadius, CORNER_RADIUS));
  setIfDefined(style, "width", length(box.width));
  setIfDefined(style, "maxWidth", length(box.maxWidth));
  setIfDefined(style, "height", length(box.height));
  setIfDefined(style, "maxHeight", length(box.maxHeight));
  setIfDefined(style, "justifyContent", JUSTIFY[box.justifyContent]);
  setIfDefined(style, "alignItems", ALIGN_SELF[box.alignItems] ?? JUSTIFY[box.alignItems]);
  const border = length(box.borderWidth, BORDER_WIDTH);
  if (border) style.border = `${border} solid ${box.borderColor || "#000000"}`;
  else if (box.borderColor) style.border = `1px solid ${box.borderColor}`;
  if (box.background?.type === "linearGradient") {
    const stops = [box.background.startColor, box.background.centerColor, box.background.endColor]
      .filter(Boolean).join(", ");
    style.backgroundImage = `linear-gradient(${parseFloat(box.background.angle) || 0}deg, ${stops})`;
  }
  const spacing = length(box.spacing, SPACING);
  for (const child of box.contents ?? []) {
    const rendered = renderComponent(child, { ...ctx, layout });
    if (!rendered) continue;
    applyItemLayout(rendered, child, layout, node.childElementCount === 0 ? null : spacing);
    node.append(rendered);
  }
  applyOffsets(node, box);
  return tappable(node, box.action, ctx);
}

/**
 * Flex factor, margin and gravity of a child within its parent box.
 * spacing is null for the first child, whose margin LINE ignores.
 */
function applyItemLayout(node, component, layout, spacing) {
  const horizontal = isHorizontal(layout);
  const hasWidth = component.type === "box" && length(component.width);
  const fixed = ["separator", "spacer", "icon"].includes(component.type) || hasWidth;
  const defaultFlex = horizontal && !fixed ? 1 : 0;
  const flex = Number.isInteger(component.flex) && !fixed ? component.flex : defaultFlex;
  if (component.type === "filler") node.style.flex = `${component.flex ?? 1} 0 0`;
  else if (flex > 0) node.style.flex = horizontal ? `${flex} 0 0` : `${flex} 0 auto`;
  else node.style.flex = "0 0 auto";
  const margin = spacing === null ? undefined : (length(component.margin, SPACING) ?? spacing);
  if (margin) {
    if (horizontal) node.style.marginInlineStart = margin;
    else node.style.marginTop = margin;
  }
  const gravity = ALIGN_SELF[component.gravity];
  if (gravity && horizontal && component.type !== "image") node.style.alignSelf = gravity;
}

function applyOffsets(node, component) {
  const style = node.style;
  if (component.position === "absolute") style.position = "absolute";
  else if (component.position === "relative" || hasOffset(component)) style.position = "relative";
  setIfDefined(style, "top", length(component.offsetTop, SPACING));
  setIfDefined(style, "bottom", length(component.offsetBottom, SPACING));
  setIfDefined(style, "insetInlineStart", length(component.offsetStart, SPACING));
  setIfDefined(style, "insetInlineEnd", length(component.offsetEnd, SPACING));
}

function hasOffset(component) {
  return ["offsetTop", "offsetBottom", "offsetStart", "offsetEnd"].some((key) => component[key] !== undefined);
}

function applyTextStyle(node, component) {
  const style = node.style;
  setIfDefined(style, "fontSize", length(component.size, TEXT_SIZE));
  setIfDefined(style, "color", component.color);
  if (component.weight === "bold") style.fontWeight = "bold";
  if (component.style === "italic") style.fontStyle = "italic";
  if (component.decoration === "underline") style.textDecoration = "underline";
  if (component.decoration === "line-through") style.textDecoration = "line-through";
}

function renderText(text, ctx) {
  const node = el("div", { class: "fx-text" });
  applyTextStyle(node, text);
  const spans = (text.contents ?? []).filter((span) => span?.type === "span");
  if (spans.length) spans.forEach((span) => node.append(renderSpan(span)));
  else node.textContent = text.text ?? "";
  if (["start", "end", "center"].includes(text.align)) node.style.textAlign = text.align;
  if (text.wrap) {
    node.classList.add("fx-wrap");
    const lines = Number(text.maxLines);
    if (lines > 0) {
      node.classList.add("fx-clamp");
      node.style.webkitLineClamp = String(lines);
    }
    const lineSpacing = length(text.lineSpacing);
    if (lineSpacing) node.style.lineHeight = `calc(1.4em + ${lineSpacing})`;
  }
  applyOffsets(node, text);
  return tappable(node, text.action, ctx);
}

function renderSpan(span) {
  const node = el("span", { text: span.text ?? "" });
  applyTextStyle(node, span);
  return node;
}

function renderButton(button, ctx) {
  const style = ["primary", "secondary"].includes(button.style) ? button.style : "link";
  const height = button.height === "sm" ? "sm" : "md";
  const node = el("button", {
    type: "button",
    class: `fx-button fx-button-${style} fx-button-${height}`,
    text: button.action?.label ?? "",
  });
  if (button.color) {
    if (style === "link") node.style.color = button.color;
    else node.style.backgroundColor = button.color;
  }
  applyOffsets(node, button);
  node.addEventListener("click", (event) => {
    event.stopPropagation();
    ctx.runAction(button.action);
  });
  return node;
}

function renderImage(image, ctx) {
  const frame = el("div", { class: "fx-image-frame" });
  const size = image.size ?? "md";
  frame.style.width = size === "full" ? "100%" : (length(size, IMAGE_SIZE) ?? `${IMAGE_SIZE.md}px`);
  frame.style.aspectRatio = ratio(image.aspectRatio, "1 / 1");
  setIfDefined(frame.style, "backgroundColor", image.backgroundColor);
  const img = el("img", { src: image.url ?? "", alt: "", loading: "lazy" });
  img.style.objectFit = image.aspectMode === "cover" ? "cover" : "contain";
  img.addEventListener("error", () => frame.classList.add("fx-image-broken"));
  frame.append(img);
  const node = el("div", { class: "fx-image" }, [frame]);
  node.style.justifyContent = ALIGN_SELF[image.align] ?? "center";
  const gravity = ALIGN_SELF[image.gravity];
  if (gravity && isHorizontal(ctx.layout)) node.style.alignSelf = gravity;
  applyOffsets(node, image);
  return tappable(node, image.action, ctx);
}

function renderIcon(icon) {
  const img = el("img", { class: "fx-icon", src: icon.url ?? "", alt: "" });
  const height = length(icon.size, TEXT_SIZE) ?? `${TEXT_SIZE.md}px`;
  img.style.height = height;
  const [w, h] = String(icon.aspectRatio ?? "1:1").split(":").map(Number);
  img.style.width = w > 0 && h > 0 ? `calc(${height} * ${w / h})` : height;
  img.addEventListener("error", () => img.classList.add("fx-icon-broken"));
  applyOffsets(img, icon);
  return img;
}

function renderSeparator(separator, ctx) {
  const node = el("div", { class: isHorizontal(ctx.layout) ? "fx-separator fx-separator-v" : "fx-separator" });
  setIfDefined(node.style, "backgroundColor", separator.color);
  return node;
}

function renderFiller() {
  return el("div", { class: "fx-filler" });
}

function renderSpacer(spacer, ctx) {
  const node = el("div", { class: "fx-spacer" });
  const size = length(spacer.size, SPACING) ?? `${SPACING.md}px`;
  if (isHorizontal(ctx.layout)) node.style.width = size;
  else node.style.height = size;
  return node;
}

/** Make a rendered component run its action when tapped. */
function tappable(node, action, ctx) {
  if (!action) return node;
  node.classList.add("fx-tappable");
  node.setAttribute("role", "button");
  node.tabIndex = 0;
  const run = (event) => {
    event.stopPropagation();
    ctx.runAction(action);
  };
  node.addEventListener("click", run);
  node.addEventListener("keydown", (event) => {
    if (event.key === "Enter") run(event);
  });
  return node;
}

function setIfDefined(style, property, value) {
  if (value !== undefined && value !== null && value !== "") style[property] = value;
}
