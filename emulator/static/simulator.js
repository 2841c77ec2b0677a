// The simulator page: pick a simulated user, chat with the bot as that user,
// tap quick replies and the rich menu. Polls the emulator about once a second.
import { createActionRunner } from "./actions.js";
import { api } from "./api.js";
import { bindAttachMenu } from "./attach.js";
import { ChatView } from "./chat.js";
import { el } from "./dom.js";
import { RichMenuView } from "./richmenu.js";

const STORAGE_KEY = "mine-line-simulator.user";
const POLL_MS = 1000;
const $ = (id) => document.getElementById(id);

const state = {
  users: [],
  userId: localStorage.getItem(STORAGE_KEY),
  entries: [],
  quickReplyIndex: -1, // transcript index whose quick reply was used
  menuId: null,
  mode: "keyboard", // "keyboard" or "menu"
  menuOpen: true,
  ticks: 0,
  shown: false, // whether selectUser has run at least once
};

const runAction = createActionRunner({
  userId: () => state.userId,
  dialogRoot: $("dialog-root"),
  onSent: () => refreshTranscript(),
  onError: (message) => showStatus(message, "error"),
  onNotice: (message) => showStatus(message, "notice"),
  onRichMenuSwitched: () => refreshUsers(),
  onInputOption: applyInputOption,
});
const chat = new ChatView($("chat"), runAction);
const richMenu = new RichMenuView($("richmenu-image"), runAction);

function currentUser() {
  return state.users.find((user) => user.user_id === state.userId) ?? null;
}

let statusTimer = null;
function showStatus(message, kind = "notice") {
  const line = $("status-line");
  line.textContent = message;
  line.className = `status-line status-${kind}`;
  line.hidden = false;
  clearTimeout(statusTimer);
  statusTimer = setTimeout(() => { line.hidden = true; }, 6000);
}

// ---- users ----------------------------------------------------------------

async function refreshUsers() {
  state.users = await api.listUsers();
  if (!currentUser()) selectUser(state.users[0]?.user_id ?? null);
  renderUserPicker();
  await applyUserState();
}

let pickerKey = "";
/** Rebuild the user list only when it changed, so an open drop-down is not closed by polling. */
function renderUserPicker() {
  const select = $("user-select");
  const key = JSON.stringify([state.userId, state.users.map((u) => [u.user_id, u.display_name, u.following])]);
  if (key === pickerKey) return;
  pickerKey = key;
  const options = state.users.map((user) => el("option", {
    value: user.user_id,
    text: `${user.display_name}${user.following ? "" : "（友だちではない）"}`,
  }));
  select.replaceChildren(...options);
  select.value = state.userId ?? "";
  select.disabled = state.users.length === 0;
}

function selectUser(userId) {
  if (state.shown && userId === state.userId) return;
  state.shown = true;
  state.userId = userId;
  state.entries = [];
  state.quickReplyIndex = -1;
  if (userId) localStorage.setItem(STORAGE_KEY, userId);
  else localStorage.removeItem(STORAGE_KEY);
  chat.reset(userId ? "" : "左のパネルでユーザーを作成してください");
  renderQuickReplies();
}

/** Header, friendship controls, composer and rich menu for the chosen user. */
async function applyUserState() {
  const user = currentUser();
  const following = Boolean(user?.following);
  $("header-user").textContent = user ? `${user.display_name} さんとして表示中` : "ユーザー未選択";
  $("user-status").textContent = !user ? "" : following ? "友だち" : "友だちではありません";
  $("follow-btn").disabled = !user || following;
  $("block-btn").disabled = !user || !following;
  $("friend-bar").hidden = !user || following;
  $("text-input").disabled = !following;
  $("send-btn").disabled = !following;
  $("plus-btn").disabled = !following;
  const menuId = following ? user.rich_menu_id || null : null;
  if (menuId !== state.menuId) {
    const hadMenu = Boolean(state.menuId);
    state.menuId = menuId;
    let menu = null;
    try {
      menu = await richMenu.load(menuId);
    } catch (error) {
      showStatus(`リッチメニューを読み込めません: ${error.message}`, "error");
    }
    // A switched menu (tabs) keeps the composer as it was; a first menu opens as the menu says.
    if (!menu) state.mode = "keyboard";
    else if (!hadMenu) {
      state.mode = "menu";
      state.menuOpen = Boolean(menu.selected);
    }
    $("chatbar-text").textContent = menu?.chatBarText || "メニュー";
  }
  renderComposer();
  renderQuickReplies();
}

async function createUser(event) {
  event.preventDefault();
  const input = $("new-user-name");
  const name = input.value.trim();
  if (!name) return;
  try {
    const created = await api.createUser(name);
    input.value = "";
    selectUser(created.user_id);
    await refreshUsers();
    await refreshTranscript();
  } catch (error) {
    showStatus(error.message, "error");
  }
}

async function setFriendship(follow) {
  if (!state.userId) return;
  try {
    await (follow ? api.follow(state.userId) : api.unfollow(state.userId));
  } catch (error) {
    showStatus(error.message, "error");
  }
  await refreshUsers().catch(() => {});
  await refreshTranscript().catch(() => {});
}

// ---- transcript and quick replies ---------------------------------------------

let transcriptBusy = null;
let transcriptAgain = false;
/** Fetch the transcript and show what is new; a call during a fetch fetches again after it. */
async function refreshTranscript() {
  if (transcriptBusy) {
    transcriptAgain = true;
    return transcriptBusy;
  }
  const userId = state.userId;
  if (!userId) return undefined;
  transcriptBusy = api.transcript(userId).then((entries) => {
    if (userId !== state.userId) return;
    state.entries = entries;
    if (chat.update(entries)) renderQuickReplies();
    if (!entries.length && !chat.root.childElementCount) chat.reset("まだメッセージはありません");
  }).finally(() => {
    transcriptBusy = null;
    if (transcriptAgain) {
      transcriptAgain = false;
      refreshTranscript().catch(() => {});
    }
  });
  return transcriptBusy;
}

let quickReplyKey = "";
/**
 * Quick replies of the newest entry, if it is a bot message whose reply was not used yet.
 * The buttons are rebuilt only when that changes, so polling never swallows a tap.
 */
function renderQuickReplies() {
  const bar = $("quick-replies");
  const index = state.entries.length - 1;
  const last = state.entries[index];
  const items = last?.from === "bot" ? last.message?.quickReply?.items ?? [] : [];
  const show = items.length > 0 && index !== state.quickReplyIndex && Boolean(currentUser()?.following);
  const key = show ? `${state.userId}#${index}` : "";
  if (key === quickReplyKey) return;
  quickReplyKey = key;
  bar.replaceChildren(...(show ? items.map((item) => quickReplyButton(item, index)) : []));
  bar.hidden = !show;
}

function quickReplyButton(item, index) {
  const action = item.action ?? {};
  return el("button", {
    type: "button",
    class: "quick-reply",
    onclick: async () => {
      if (await runAction(action)) {
        state.quickReplyIndex = index;
        renderQuickReplies();
      }
    },
  }, [
    item.imageUrl ? el("img", { src: item.imageUrl, alt: "" }) : null,
    el("span", { text: action.label ?? "" }),
  ]);
}

// ---- composer: keyboard and rich menu ----------------------------------------

function renderComposer() {
  const hasMenu = Boolean(richMenu.menu);
  const menuMode = hasMenu && state.mode === "menu";
  $("input-row").hidden = menuMode;
  $("menu-toggle").hidden = !hasMenu;
  $("richmenu").hidden = !menuMode;
  $("richmenu-image").hidden = !state.menuOpen;
  $("chatbar-arrow").textContent = state.menuOpen ? "▼" : "▲";
}

/** A postback's inputOption: open the keyboard (with fillInText) or open/close the rich menu. */
function applyInputOption(option, fillInText) {
  if (option === "openKeyboard") {
    state.mode = "keyboard";
    renderComposer();
    const input = $("text-input");
    if (fillInText) input.value = fillInText;
    input.focus();
  } else if (option === "openRichMenu" || option === "closeRichMenu") {
    state.mode = "menu";
    state.menuOpen = option === "openRichMenu";
    renderComposer();
  }
}

async function sendText(event) {
  event.preventDefault();
  const input = $("text-input");
  const text = input.value;
  if (!text.trim() || !state.userId) return;
  input.value = "";
  await runAction({ type: "message", text });
}

function bindControls() {
  $("user-select").addEventListener("change", async (event) => {
    selectUser(event.target.value);
    await applyUserState();
    await refreshTranscript().catch((error) => showStatus(error.message, "error"));
  });
  $("new-user-form").addEventListener("submit", createUser);
  $("follow-btn").addEventListener("click", () => setFriendship(true));
  $("friend-bar-btn").addEventListener("click", () => setFriendship(true));
  $("block-btn").addEventListener("click", () => setFriendship(false));
  $("input-row").addEventListener("submit", sendText);
  $("menu-toggle").addEventListener("click", () => {
    state.mode = "menu";
    state.menuOpen = true;
    renderComposer();
  });
  $("keyboard-btn").addEventListener("click", () => {
    state.mode = "keyboard";
    renderComposer();
    $("text-input").focus();
  });
  $("chatbar").addEventListener("click", () => {
    state.menuOpen = !state.menuOpen;
    renderComposer();
  });
}

async function poll() {
  try {
    if (state.ticks % 2 === 0) await refreshUsers();
    await refreshTranscript();
    $("phone").classList.remove("offline");
  } catch (error) {
    $("phone").classList.add("offline");
    showStatus(error.message, "error");
  } finally {
    state.ticks += 1;
    setTimeout(poll, POLL_MS);
  }
}

bindControls();
bindAttachMenu({
  userId: () => state.userId,
  onSent: () => refreshTranscript(),
  onError: (message) => showStatus(message, "error"),
});
poll();
