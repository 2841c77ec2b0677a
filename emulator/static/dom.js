// Small DOM helpers. Message content is only ever placed with textContent
// or as attribute values, never parsed as HTML.

/**
 * Build an element: el("div", {class: "a", text: "hi", style: {color: "red"}}, [child]).
 * Any other key becomes an attribute; on* keys become event listeners.
 */
export function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = String(value);
    else if (key === "style") Object.assign(node.style, value);
    else if (key.startsWith("on") && typeof value === "function") {
      node.addEventListener(key.slice(2).toLowerCase(), value);
    } else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of [].concat(children)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const URL_PATTERN = /https?:\/\/[^\s<>"'「」（）()、。]+/g;

/** Only web links may be opened from message content. */
export function isSafeUrl(url) {
  try {
    const parsed = new URL(String(url), window.location.href);
    return parsed.protocol === "http:" || parsed.protocol === "https:";
  } catch {
    return false;
  }
}

/** Text with http(s) URLs turned into links; newlines kept by CSS (pre-wrap). */
export function linkifiedText(text) {
  const fragment = document.createDocumentFragment();
  const source = String(text ?? "");
  let last = 0;
  for (const match of source.matchAll(URL_PATTERN)) {
    fragment.append(source.slice(last, match.index));
    const link = el("a", { href: match[0], target: "_blank", rel: "noopener noreferrer", text: match[0] });
    fragment.append(link);
    last = match.index + match[0].length;
  }
  fragment.append(source.slice(last));
  return fragment;
}

/** Accept ISO strings, epoch seconds or epoch milliseconds. */
export function toDate(at) {
  if (at === undefined || at === null || at === "") return null;
  if (typeof at === "number") return new Date(at < 1e12 ? at * 1000 : at);
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** LINE-style clock label: 午前9:05 / 午後3:40. */
export function clockLabel(date) {
  if (!date) return "";
  const hours = date.getHours();
  const half = hours < 12 ? "午前" : "午後";
  return `${half}${hours % 12}:${String(date.getMinutes()).padStart(2, "0")}`;
}

const WEEKDAYS = ["日", "月", "火", "水", "木", "金", "土"];

/** Date chip label shown between days: 2024.05.01(水). */
export function dayLabel(date) {
  if (!date) return "";
  const mm = String(date.getMonth() + 1).padStart(2, "0");
  const dd = String(date.getDate()).padStart(2, "0");
  return `${date.getFullYear()}.${mm}.${dd}(${WEEKDAYS[date.getDay()]})`;
}
