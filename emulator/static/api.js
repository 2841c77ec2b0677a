// Calls to the emulator's /_sim control endpoints.

const enc = encodeURIComponent;

/** Raised when a control call fails; message is Japanese, shown to the person. */
export class SimError extends Error {}

async function request(method, path, body) {
  const init = { method, headers: { Accept: "application/json" } };
  if (body instanceof Blob) {
    init.headers["Content-Type"] = body.type || "application/octet-stream";
    init.body = body;
  } else if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new SimError("エミュレーターに接続できません");
  }
  const payload = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = payload && (payload.message || payload.error);
    throw new SimError(`エラー ${response.status}${detail ? `: ${detail}` : ""}`);
  }
  return payload;
}

/** POST a user action; the answer carries the bot's webhook HTTP status. */
async function control(userId, kind, body) {
  const payload = await request("POST", `/_sim/users/${enc(userId)}/${kind}`, body);
  const status = payload && payload.status;
  if (status === 0) {
    throw new SimError(`ボットに届きませんでした${payload.error ? `: ${payload.error}` : ""}`);
  }
  if (status !== undefined && status !== 200) {
    throw new SimError(`ボットの応答がエラーでした (HTTP ${status})`);
  }
  return payload;
}

export const api = {
  listUsers: () => request("GET", "/_sim/users"),
  createUser: (displayName) => request("POST", "/_sim/users", { display_name: displayName }),
  follow: (userId) => control(userId, "follow", {}),
  unfollow: (userId) => control(userId, "unfollow", {}),
  transcript: (userId) => request("GET", `/_sim/users/${enc(userId)}/transcript`),
  sendText: (userId, text) => control(userId, "text", { text }),
  sendPostback: (userId, data, displayText, params) => {
    const body = { data: data ?? "" };
    if (displayText) body.display_text = displayText;
    if (params) body.params = params;
    return control(userId, "postback", body);
  },
  sendLocation: (userId, location) => control(userId, "location", location),
  /** A photo, video, voice message or file: the file's bytes, sent with its type. */
  sendMedia: (userId, kind, file) => control(userId, kind, file),
  sendSticker: (userId, packageId, stickerId) =>
    control(userId, "sticker", { package_id: packageId, sticker_id: stickerId }),
  contentUrl: (messageId) => `/_sim/contents/${enc(messageId)}`,
  switchRichMenu: (userId, aliasId, data) =>
    control(userId, "richmenuswitch", { alias_id: aliasId, data: data ?? "" }),
  richMenu: (richMenuId) => request("GET", `/_sim/richmenus/${enc(richMenuId)}`),
  richMenuImageUrl: (richMenuId) => `/_sim/richmenus/${enc(richMenuId)}/image`,
};
