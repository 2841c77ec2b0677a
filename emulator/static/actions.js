// What happens when a person taps a LINE action (buttons, quick replies,
// flex components, rich-menu areas).
import { api } from "./api.js";
import { el, isSafeUrl } from "./dom.js";

// Mine City Hall, offered as the default when the person sends a location.
const CITY_HALL = {
  title: "美祢市役所",
  address: "山口県美祢市大嶺町東分326-1",
  latitude: 34.1669,
  longitude: 131.2053,
};

const PICKER_INPUT_TYPES = { date: "date", time: "time", datetime: "datetime-local" };

/**
 * Build the action runner.
 * host: {userId(), dialogRoot, onSent(), onError(message), onNotice(message), onRichMenuSwitched(),
 *        onInputOption(option, fillInText)}
 */
export function createActionRunner(host) {
  const handlers = {
    message: (action) => api.sendText(host.userId(), action.text ?? action.label ?? ""),
    postback: async (action) => {
      const answer = await api.sendPostback(host.userId(), action.data, action.displayText || action.label);
      if (action.inputOption) host.onInputOption(action.inputOption, action.fillInText);
      return answer;
    },
    uri: (action) => openUri(action.uri, host),
    datetimepicker: (action) => pickDateTime(action, host),
    location: () => pickLocation(host),
    richmenuswitch: async (action) => {
      await api.switchRichMenu(host.userId(), action.richMenuAliasId, action.data);
      host.onRichMenuSwitched();
      return true;
    },
    clipboard: async (action) => {
      await navigator.clipboard?.writeText(action.clipboardText ?? "");
      host.onNotice("コピーしました");
      return false;
    },
    camera: () => notSent(host, "カメラはシミュレーターでは使えません"),
    cameraRoll: () => notSent(host, "カメラロールはシミュレーターでは使えません"),
  };

  /** Run one action; returns true when something was sent to the bot. Handlers return false when not. */
  return async function runAction(action) {
    if (!action || !host.userId()) return false;
    const handler = handlers[action.type];
    if (!handler) {
      host.onNotice(`未対応のアクションです: ${action.type}`);
      return false;
    }
    try {
      const sent = (await handler(action)) !== false;
      if (sent) host.onSent();
      return sent;
    } catch (error) {
      host.onError(error.message || String(error));
      return false;
    }
  };
}

function notSent(host, message) {
  host.onNotice(message);
  return false;
}

function openUri(uri, host) {
  if (!isSafeUrl(uri)) {
    return notSent(host, `このリンクはシミュレーターでは開けません: ${uri ?? ""}`);
  }
  window.open(uri, "_blank", "noopener,noreferrer");
  return false;
}

/** A small modal dialog; resolves with the form values or null when cancelled. */
function openDialog(host, title, fields) {
  return new Promise((resolve) => {
    const inputs = fields.map((field) =>
      el("input", {
        type: field.type || "text",
        name: field.name,
        value: field.value ?? "",
        min: field.min,
        max: field.max,
        step: field.step,
        required: field.required,
      }),
    );
    const close = (result) => {
      overlay.remove();
      resolve(result);
    };
    const form = el("form", { class: "dialog", onsubmit: (event) => {
      event.preventDefault();
      close(Object.fromEntries(inputs.map((input) => [input.name, input.value])));
    } }, [
      el("div", { class: "dialog-title", text: title }),
      ...fields.map((field, index) => el("label", { class: "dialog-field" }, [
        el("span", { text: field.label }),
        inputs[index],
      ])),
      el("div", { class: "dialog-buttons" }, [
        el("button", { type: "button", class: "dialog-cancel", text: "キャンセル", onclick: () => close(null) }),
        el("button", { type: "submit", class: "dialog-ok", text: "OK" }),
      ]),
    ]);
    const overlay = el("div", { class: "dialog-overlay", onclick: (event) => {
      if (event.target === overlay) close(null);
    } }, [form]);
    host.dialogRoot.append(overlay);
    inputs[0]?.focus();
  });
}

/** LINE sends "2024-05-01T10:00"; datetime-local uses the same form. */
function pickerValue(value, mode) {
  if (!value) return undefined;
  return mode === "datetime" ? String(value).slice(0, 16) : String(value);
}

async function pickDateTime(action, host) {
  const mode = PICKER_INPUT_TYPES[action.mode] ? action.mode : "datetime";
  const values = await openDialog(host, action.label || "日時を選択", [{
    name: "value",
    label: { date: "日付", time: "時刻", datetime: "日時" }[mode],
    type: PICKER_INPUT_TYPES[mode],
    value: pickerValue(action.initial, mode),
    min: pickerValue(action.min, mode),
    max: pickerValue(action.max, mode),
    required: true,
  }]);
  if (!values) return false;
  // LINE shows no chat bubble for a date-time picker; it only posts back.
  return api.sendPostback(host.userId(), action.data, null, { [mode]: values.value });
}

async function pickLocation(host) {
  const values = await openDialog(host, "位置情報を送信", [
    { name: "title", label: "名称", value: CITY_HALL.title },
    { name: "address", label: "住所", value: CITY_HALL.address },
    { name: "latitude", label: "緯度", type: "number", step: "any", value: CITY_HALL.latitude, required: true },
    { name: "longitude", label: "経度", type: "number", step: "any", value: CITY_HALL.longitude, required: true },
  ]);
  if (!values) return false;
  return api.sendLocation(host.userId(), {
    title: values.title,
    address: values.address,
    latitude: Number(values.latitude),
    longitude: Number(values.longitude),
  });
}
