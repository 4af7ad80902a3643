// Where the conversation is kept in the browser: sessionStorage by default (gone when the
// tab closes), localStorage when the clinic opts in. If storage is blocked the widget
// still works, for the current page only.

export const STORAGE_KEY = "clinic-chat";
const MAX_MESSAGES = 200;

export function emptyState() {
  // outbox: messages not yet handed to the server (typed while offline, or the greeting);
  // waiting (localStorage mode): which tab awaits an answer, and until when.
  return { v: 1, sessionId: null, messages: [], outbox: [] };
}

function storageArea(mode) {
  try {
    const area = mode === "local" ? window.localStorage : window.sessionStorage;
    area.setItem(`${STORAGE_KEY}-probe`, "1");
    area.removeItem(`${STORAGE_KEY}-probe`);
    return area;
  } catch {
    return null;
  }
}

export function createStore(mode) {
  const area = storageArea(mode);
  return {
    area,
    load() {
      try {
        const state = JSON.parse(area.getItem(STORAGE_KEY));
        if (state && state.v === 1 && Array.isArray(state.messages) && Array.isArray(state.outbox)) return state;
      } catch {
        // missing, blocked or not ours: start afresh
      }
      return null;
    },
    save(state) {
      state.messages = state.messages.slice(-MAX_MESSAGES);
      try {
        area.setItem(STORAGE_KEY, JSON.stringify(state));
      } catch {
        // full or blocked: the conversation lasts for this page only
      }
    },
    remove() {
      try {
        area.removeItem(STORAGE_KEY);
      } catch {
        // nothing stored
      }
    },
  };
}

/** 128 random bits from Web Crypto, as hex: the conversation's id, impossible to guess. */
export function randomId() {
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
