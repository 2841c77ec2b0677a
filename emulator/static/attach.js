// The 「＋」 menu: what a resident's LINE app sends besides text — a photo from the
// file picker, a sticker from a small palette, a location (a place in Mine City, or
// latitude and longitude).
import { api } from "./api.js";
import { el } from "./dom.js";

// LINE's free basic stickers (package 446), drawn as faces: the simulator has no sticker images.
export const STICKERS = [
  { stickerId: "1988", face: "😊", label: "にっこり" },
  { stickerId: "1989", face: "👍", label: "いいね" },
  { stickerId: "1990", face: "🙇", label: "おねがいします" },
  { stickerId: "1991", face: "😢", label: "かなしい" },
  { stickerId: "1992", face: "🎉", label: "おめでとう" },
  { stickerId: "1993", face: "🙏", label: "ありがとう" },
];
const STICKER_PACKAGE = "446";

// Places in Mine City a resident might share (coordinates are approximate).
export const PLACES = [
  { title: "美祢市役所", address: "山口県美祢市大嶺町東分326-1", latitude: 34.1669, longitude: 131.2053 },
  { title: "JR美祢駅", address: "山口県美祢市大嶺町東分", latitude: 34.1652, longitude: 131.2086 },
  { title: "秋芳洞", address: "山口県美祢市秋芳町秋吉", latitude: 34.2267, longitude: 131.3036 },
  { title: "秋吉台カルスト展望台", address: "山口県美祢市秋芳町秋吉", latitude: 34.2436, longitude: 131.3125 },
  { title: "美東総合支所", address: "山口県美祢市美東町大田", latitude: 34.2103, longitude: 131.3596 },
];

/**
 * Wire the menu. host: {userId(), onSent(), onError(message)}; `ids` names the page's elements.
 */
export function bindAttachMenu(host) {
  const $ = (id) => document.getElementById(id);
  const panels = ["plus-menu", "sticker-palette", "location-panel"];
  const show = (id) => panels.forEach((panel) => { $(panel).hidden = panel !== id; });
  const closeAll = () => show(null);

  async function send(promise) {
    closeAll();
    try {
      await promise;
      host.onSent();
    } catch (error) {
      host.onError(error.message || String(error));
    }
  }

  $("plus-btn").addEventListener("click", () => show($("plus-menu").hidden ? "plus-menu" : null));
  $("attach-photo").addEventListener("click", () => $("photo-input").click());
  $("photo-input").addEventListener("change", (event) => {
    const [file] = event.target.files;
    event.target.value = "";
    if (file && host.userId()) send(api.sendMedia(host.userId(), "image", file));
  });
  $("attach-sticker").addEventListener("click", () => show("sticker-palette"));
  $("attach-location").addEventListener("click", () => show("location-panel"));
  for (const id of ["sticker-close", "location-close"]) $(id).addEventListener("click", closeAll);

  $("sticker-grid").replaceChildren(...STICKERS.map((sticker) => el("button", {
    type: "button",
    class: "sticker-choice",
    title: sticker.label,
    "aria-label": `スタンプ「${sticker.label}」を送信`,
    onclick: () => send(api.sendSticker(host.userId(), STICKER_PACKAGE, sticker.stickerId)),
  }, [el("span", { class: "sticker-face", text: sticker.face }), el("span", { text: sticker.label })])));

  $("place-list").replaceChildren(...PLACES.map((place) => el("button", {
    type: "button",
    class: "place-choice",
    onclick: () => send(api.sendLocation(host.userId(), place)),
  }, [el("span", { class: "place-title", text: `📍 ${place.title}` }),
    el("span", { class: "place-address", text: place.address })])));

  $("coordinates-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const latitude = Number($("latitude-input").value);
    const longitude = Number($("longitude-input").value);
    if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return;
    send(api.sendLocation(host.userId(), { latitude, longitude }));
  });
}
