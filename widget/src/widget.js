// The chat widget: a launcher button and a panel in a shadow root (so the clinic's page
// styles and ours never mix), talking to Rasa's socket.io channel.
import { io } from "socket.io-client";
import { CHAT_ICON, CLOSE_ICON, h, icon } from "./dom.js";
import { renderBotText } from "./markdown.js";
import { STORAGE_KEY, createStore, emptyState, randomId } from "./storage.js";

// Event names and greeting as configured in credentials.yml and the domain.
const USER_EVENT = "user_uttered";
const BOT_EVENT = "bot_uttered";
const GREETING_PAYLOAD = "/greet";
// Rasa acknowledges a message once it has finished answering it.
const ANSWER_TIMEOUT_MS = 60000;
const MAX_MESSAGE_LENGTH = 1000;
// Under this width the panel fills the screen and keeps keyboard focus inside itself.
const FULL_SCREEN_QUERY = "(max-width: 479.98px)";

const STATUS_TEXT = {
  online: "",
  connecting: "Connecting to the assistant…",
  offline:
    "Offline: the assistant can't be reached right now. Reconnecting… Anything you send will go when the connection is back.",
};

/* global __WIDGET_CSS__ */
const CSS = typeof __WIDGET_CSS__ === "string" ? __WIDGET_CSS__ : "";

function buttonsOf(data) {
  const raw = Array.isArray(data.quick_replies) ? data.quick_replies : Array.isArray(data.buttons) ? data.buttons : [];
  return raw
    .filter((b) => b && typeof b.title === "string" && typeof b.payload === "string")
    .map((b) => ({ title: b.title, payload: b.payload }));
}

/** Names this browser tab (kept across the site's pages), so that with localStorage the
 * tab that asked is the one that records the answer. */
function tabId() {
  try {
    const id = window.sessionStorage.getItem(`${STORAGE_KEY}-tab`) || randomId();
    window.sessionStorage.setItem(`${STORAGE_KEY}-tab`, id);
    return id;
  } catch {
    return randomId();
  }
}

function loadUi() {
  try {
    const ui = JSON.parse(window.sessionStorage.getItem(`${STORAGE_KEY}-ui`));
    if (ui && typeof ui.open === "boolean" && Number.isInteger(ui.unread)) return ui;
  } catch {
    // none yet, or storage blocked
  }
  return { open: false, unread: 0 };
}

function safePageUrl(raw) {
  if (!raw) return null;
  try {
    const url = new URL(raw, window.location.href);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

export class ClinicChat {
  constructor(config) {
    this.config = config;
    this.store = createStore(config.persistence);
    this.state = this.store.load() || emptyState();
    // Whether the panel is open, and unread answers: this tab's own, kept across its pages.
    this.ui = loadUi();
    this.socket = null;
    this.ready = false; // connected and the session confirmed: messages may be sent
    this.connection = "connecting";
    this.waiting = new Set(); // ids of messages sent and not yet answered
    this.rendered = new Map(); // message id -> its element
    this.fullScreen = window.matchMedia(FULL_SCREEN_QUERY);
    this.tabId = tabId();
    this.build();
    this.renderAll();
    this.updateBadge();
    if (this.ui.open) this.open({ focus: false });
    else if (this.state.sessionId) this.connect();
    this.listen();
  }

  // ---- state ---------------------------------------------------------------------

  /** Changes the state and saves it. In localStorage mode the stored copy is read first,
   * because other tabs of the site share it. */
  update(change) {
    if (this.config.persistence === "local") this.state = this.store.load() || this.state;
    change(this.state);
    this.store.save(this.state);
    this.renderAll();
  }

  ensureSession() {
    if (this.state.sessionId) return;
    this.update((s) => {
      s.sessionId = randomId();
      s.outbox.push({ id: randomId(), message: GREETING_PAYLOAD });
    });
  }

  setUi(change) {
    Object.assign(this.ui, change);
    try {
      window.sessionStorage.setItem(`${STORAGE_KEY}-ui`, JSON.stringify(this.ui));
    } catch {
      // storage blocked: the panel starts closed on the next page
    }
  }

  // ---- DOM -----------------------------------------------------------------------

  build() {
    const { clinicName, position, privacyUrl } = this.config;
    this.host = h("div", { "data-clinic-chat": "" });
    const root = this.host.attachShadow({ mode: "open" });
    this.root = root;
    this.host.style.setProperty("--cc-color", this.config.color);
    this.host.style.setProperty("--cc-on-color", this.config.onColor);
    this.host.style.setProperty("--cc-accent", this.config.accentOnWhite);

    this.badge = h("span", { class: "badge", "aria-hidden": "true", hidden: true });
    this.launcher = h(
      "button",
      {
        type: "button",
        class: "launcher",
        "aria-controls": "cc-panel",
        "aria-expanded": "false",
        onclick: () => (this.ui.open ? this.close() : this.open()),
      },
      [icon(CHAT_ICON), icon(CLOSE_ICON), this.badge],
    );

    this.statusEl = h("p", { class: "status", role: "status" });
    this.log = h("div", { class: "log", role: "log", "aria-label": "Conversation", tabindex: "0" });
    this.typing = h("div", { class: "typing", hidden: true }, [
      h("span", { class: "sr" }, "The assistant is typing"),
      h("span", { class: "dots", "aria-hidden": "true" }, [h("span"), h("span"), h("span")]),
    ]);
    this.input = h("input", {
      id: "cc-input",
      type: "text",
      autocomplete: "off",
      maxlength: String(MAX_MESSAGE_LENGTH),
      placeholder: "Type your question",
    });
    const privacyHref = safePageUrl(privacyUrl);
    if (privacyUrl && !privacyHref) console.warn(`clinic chat: privacy notice URL "${privacyUrl}" is not http(s)`);

    this.panel = h(
      "section",
      { id: "cc-panel", class: "panel", role: "dialog", "aria-labelledby": "cc-title", hidden: true },
      [
        h("div", { class: "head" }, [
          h("div", { class: "titles" }, [
            h("h2", { id: "cc-title" }, `Chat with ${clinicName}`),
            h("p", { class: "subtitle" }, "Automated assistant"),
          ]),
          h("button", { type: "button", class: "close", "aria-label": "Close chat", onclick: () => this.close() }, [
            icon(CLOSE_ICON),
          ]),
        ]),
        h("p", { class: "emergency" }, [h("strong", {}, "Not for emergencies — call 999")]),
        this.statusEl,
        this.log,
        this.typing,
        h("form", { class: "composer", onsubmit: (event) => this.onSubmit(event) }, [
          h("label", { for: "cc-input", class: "sr" }, "Your message"),
          this.input,
          h("button", { type: "submit", class: "send" }, "Send"),
        ]),
        h("div", { class: "foot" }, [
          h("button", { type: "button", class: "clear", onclick: () => this.clear() }, "Clear conversation"),
          privacyHref
            ? h("a", { href: privacyHref, target: "_blank", rel: "noopener noreferrer" }, [
                "Privacy notice",
                h("span", { class: "sr" }, " (opens in a new tab)"),
              ])
            : null,
        ]),
      ],
    );

    this.wrapper = h("div", { class: `widget ${position}` }, [this.panel, this.launcher]);
    const wrapper = this.wrapper;
    root.append(h("style", {}, CSS), wrapper);
    document.body.append(this.host);
  }

  messageElement(message) {
    const bubble = h("div", { class: "bubble" });
    const staff = typeof message.staff === "string" && message.staff ? message.staff : "";
    // Staff text is plain text, never markdown: textContent only.
    if (message.from === "bot" && !staff) renderBotText(bubble, message.text || "");
    else bubble.textContent = message.text;
    const who = staff ? `${staff} (clinic team): ` : message.from === "bot" ? "Assistant: " : "You: ";
    const item = h("div", { class: `msg ${message.from}${staff ? " staff" : ""}` }, [
      staff ? h("span", { class: "sender" }, `${staff}, clinic team`) : h("span", { class: "sr" }, who),
      message.text ? bubble : null,
    ]);
    if (message.buttons && message.buttons.length) {
      item.append(
        h(
          "div",
          { class: "replies", role: "group", "aria-label": "Suggested replies" },
          message.buttons.map((button) =>
            h("button", { type: "button", onclick: () => this.send(button.title, button.payload) }, button.title),
          ),
        ),
      );
    }
    return item;
  }

  noteFor(message) {
    if (message.status === "queued" && !this.ready) {
      return h("p", { class: "note" }, "Not sent yet: it will go when the connection is back.");
    }
    if (message.status === "unconfirmed") {
      return h("p", { class: "note" }, [
        "The connection dropped before an answer came. ",
        h("button", { type: "button", class: "link", onclick: () => this.resend(message.id) }, "Send again"),
      ]);
    }
    return null;
  }

  /** Brings the log in line with the state: appends new messages, updates notes, and
   * redraws everything only when the conversation itself was replaced (cleared, or
   * changed by another tab). */
  renderAll() {
    const messages = this.state.messages;
    const ids = messages.map((m) => m.id);
    const renderedIds = [...this.rendered.keys()];
    const isPrefix = renderedIds.length <= ids.length && renderedIds.every((id, i) => ids[i] === id);
    if (!isPrefix) {
      this.log.replaceChildren();
      this.rendered.clear();
    }
    const atBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 40;
    for (const message of messages) {
      let entry = this.rendered.get(message.id);
      if (!entry) {
        entry = { el: this.messageElement(message), note: null, noteKey: "" };
        this.rendered.set(message.id, entry);
        this.log.append(entry.el);
      }
      const noteKey = message.status === "queued" && !this.ready ? "queued" : message.status === "unconfirmed" ? "unconfirmed" : "";
      if (noteKey !== entry.noteKey) {
        if (entry.note) entry.note.remove();
        entry.note = this.noteFor(message);
        if (entry.note) entry.el.append(entry.note);
        entry.noteKey = noteKey;
      }
    }
    if (atBottom || !isPrefix || renderedIds.length !== ids.length) this.log.scrollTop = this.log.scrollHeight;
  }

  updateBadge() {
    const unread = this.ui.open ? 0 : this.ui.unread;
    this.badge.hidden = unread === 0;
    this.badge.textContent = unread > 9 ? "9+" : String(unread);
    const label = `Chat with ${this.config.clinicName}`;
    this.launcher.setAttribute(
      "aria-label",
      unread ? `${label} (${unread} unread message${unread === 1 ? "" : "s"})` : label,
    );
  }

  setConnection(connection) {
    this.connection = connection;
    this.statusEl.textContent = STATUS_TEXT[connection];
    this.statusEl.className = `status ${connection}`;
  }

  showTyping(on) {
    this.typing.hidden = !on;
    if (on) this.log.scrollTop = this.log.scrollHeight;
  }

  // ---- opening and closing -------------------------------------------------------

  open({ focus = true } = {}) {
    this.ensureSession();
    this.setUi({ open: true, unread: 0 });
    this.panel.hidden = false;
    this.markModal();
    this.launcher.setAttribute("aria-expanded", "true");
    this.launcher.classList.add("is-open");
    this.updateBadge();
    this.setConnection(this.ready ? "online" : this.connection);
    this.log.scrollTop = this.log.scrollHeight;
    this.connect();
    if (focus) this.input.focus();
  }

  close() {
    this.setUi({ open: false });
    this.panel.hidden = true;
    this.launcher.setAttribute("aria-expanded", "false");
    this.launcher.classList.remove("is-open");
    this.updateBadge();
    this.launcher.focus();
  }

  /** Forgets the conversation in this browser and starts a new one with a new id. */
  clear() {
    this.dropSocket();
    this.store.remove();
    this.state = emptyState();
    this.ensureSession();
    this.connect();
    this.input.focus();
  }

  // ---- sending -------------------------------------------------------------------

  onSubmit(event) {
    event.preventDefault();
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = "";
    this.send(text);
    this.input.focus();
  }

  /** Shows `text` as the visitor's message and sends `payload` (a button's) or the text. */
  send(text, payload) {
    this.ensureSession();
    const id = randomId();
    this.update((s) => {
      s.messages.push({ id, from: "visitor", text: text.slice(0, MAX_MESSAGE_LENGTH), payload, status: "queued" });
      s.outbox.push({ id, message: payload || text.slice(0, MAX_MESSAGE_LENGTH) });
    });
    this.connect();
    this.flush();
  }

  resend(id) {
    this.update((s) => {
      const message = s.messages.find((m) => m.id === id);
      if (!message || message.status !== "unconfirmed") return;
      message.status = "queued";
      s.outbox.push({ id, message: message.payload || message.text });
    });
    this.flush();
    this.input.focus();
  }

  /** Hands queued messages to the server. Each leaves the stored outbox before it is
   * emitted, so a message goes out exactly once even across reloads and reconnections. */
  flush() {
    if (!this.ready) return;
    const socket = this.socket;
    let batch = [];
    this.update((s) => {
      batch = s.outbox;
      s.outbox = [];
      if (batch.length) s.waiting = { tab: this.tabId, until: Date.now() + ANSWER_TIMEOUT_MS };
      for (const item of batch) {
        const message = s.messages.find((m) => m.id === item.id);
        if (message) delete message.status;
      }
    });
    for (const item of batch) {
      this.waiting.add(item.id);
      this.showTyping(true);
      socket
        .timeout(ANSWER_TIMEOUT_MS)
        .emit(USER_EVENT, { message: item.message, session_id: this.state.sessionId }, (error) => {
          if (socket !== this.socket) return;
          this.waiting.delete(item.id);
          if (!this.waiting.size) {
            this.showTyping(false);
            this.update((s) => {
              if (s.waiting && s.waiting.tab === this.tabId) delete s.waiting;
            });
          }
          // Dropped before Rasa confirmed it: not re-sent by itself, since Rasa may
          // already have it; the visitor sees this and can send it again.
          if (error && !this.ready) {
            this.update((s) => {
              const message = s.messages.find((m) => m.id === item.id);
              if (message) message.status = "unconfirmed";
            });
          }
        });
    }
  }

  // ---- receiving -----------------------------------------------------------------

  receive(data) {
    if (!data || typeof data !== "object") return;
    // With localStorage, every open tab of the site hears the answers: the tab that
    // asked, or else a visible one, records them; the others read them from storage.
    if (this.config.persistence === "local") {
      const asker = (this.store.load() || this.state).waiting;
      if (asker && asker.until > Date.now() ? asker.tab !== this.tabId : document.hidden) return;
    }
    const text = typeof data.text === "string" ? data.text : "";
    const buttons = buttonsOf(data);
    if (!text && !buttons.length) return;
    // A member of the clinic team writing during a live takeover (channels/staff.py): their name is shown.
    const staff = data.metadata && typeof data.metadata.staff === "string" ? data.metadata.staff.slice(0, 100) : "";
    this.update((s) => {
      s.messages.push(staff ? { id: randomId(), from: "bot", text, buttons, staff } : { id: randomId(), from: "bot", text, buttons });
    });
    if (!this.ui.open) this.setUi({ unread: this.ui.unread + 1 });
    this.updateBadge();
  }

  // ---- connection ----------------------------------------------------------------

  /** Closes the connection on purpose (the conversation was cleared or replaced). */
  dropSocket() {
    const socket = this.socket;
    this.socket = null;
    this.ready = false;
    this.waiting.clear();
    this.showTyping(false);
    if (socket) socket.disconnect();
  }

  connect() {
    if (!this.state.sessionId) return;
    if (this.socket) {
      if (!this.socket.connected && !this.socket.active) this.socket.connect();
      return;
    }
    if (!this.ready) this.setConnection("connecting");
    const socket = io(this.config.serverUrl, {
      path: this.config.socketPath,
      // WebSocket first (no CORS needed); long-polling if a proxy blocks WebSockets.
      transports: ["websocket", "polling"],
      tryAllTransports: true,
      // Behind several servers (the scale profile), a load balancer keeps one connection's
      // long-polling requests on one server by this value. Random: it identifies nothing.
      query: { route: Math.random().toString(36).slice(2, 12) },
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
    });
    this.socket = socket;
    socket.on("connect", () => {
      socket.emit("session_request", { session_id: this.state.sessionId });
    });
    socket.on("session_confirm", () => {
      if (socket !== this.socket) return;
      this.ready = true;
      this.setConnection("online");
      this.renderAll();
      this.flush();
    });
    socket.on(BOT_EVENT, (data) => {
      if (socket === this.socket) this.receive(data);
    });
    socket.on("disconnect", (reason) => {
      if (socket !== this.socket) return;
      this.ready = false;
      this.setConnection("offline");
      this.showTyping(false);
      this.renderAll();
      // A server that shut down cleanly said goodbye; keep trying to get it back.
      if (reason === "io server disconnect") socket.connect();
    });
    socket.on("connect_error", () => {
      if (socket === this.socket && !this.ready) this.setConnection("offline");
    });
  }

  // ---- events --------------------------------------------------------------------

  listen() {
    this.wrapper.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.ui.open) {
        event.stopPropagation();
        this.close();
      } else if (event.key === "Tab" && this.fullScreen.matches) {
        this.keepFocusInside(event);
      }
    });
    this.fullScreen.addEventListener("change", () => this.markModal());
    window.addEventListener("online", () => {
      if (this.socket && !this.socket.connected) this.socket.connect();
    });
    window.addEventListener("offline", () => {
      if (this.socket) this.setConnection("offline");
    });
    // localStorage mode: another tab of the site changed or cleared the conversation.
    window.addEventListener("storage", (event) => {
      if (event.key !== STORAGE_KEY || event.storageArea !== this.store.area) return;
      const stored = this.store.load();
      const sameSession = stored && stored.sessionId === this.state.sessionId;
      if (!sameSession) this.dropSocket();
      this.state = stored || emptyState();
      this.renderAll();
      this.updateBadge();
      if (this.state.sessionId && !this.socket) this.connect();
    });
  }

  /** Full screen, the panel covers the page: it is then a modal dialog. */
  markModal() {
    this.panel.setAttribute("aria-modal", String(this.fullScreen.matches));
  }

  /** Full-screen panel: Tab and Shift+Tab cycle inside it, since the page is covered. */
  keepFocusInside(event) {
    const focusable = [...this.panel.querySelectorAll("button, a[href], input, [tabindex='0']")].filter(
      (el) => !el.disabled && el.getClientRects().length,
    );
    if (!focusable.length) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    const active = this.root.activeElement;
    if (event.shiftKey && active === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  }
}
