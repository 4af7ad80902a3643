// The widget's settings, from the data attributes of its own <script> tag:
//   data-server-url   Rasa server (socket.io channel), e.g. https://assistant.example.org
//   data-clinic-name  shown in the panel title and the launcher's label
//   data-color        main colour as #rgb or #rrggbb (text on it is picked for contrast)
//   data-position     "right" (default) or "left"
//   data-persistence  "session" (default: sessionStorage) or "local" (localStorage)
//   data-privacy-url  the clinic's privacy notice (default: privacy_notice_url from
//                     content/clinic_details.yml at build time; no link if both are blank)
//   data-socket-path  socket.io path (default /socket.io, as in credentials.yml)

// Baked in by build.mjs from content/clinic_details.yml.
/* global __PRIVACY_URL__ */
const BUILD_PRIVACY_URL = typeof __PRIVACY_URL__ === "string" ? __PRIVACY_URL__ : "";
const DEFAULT_COLOR = "#0b5d4b";

function channelToLinear(value) {
  const c = value / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of a #rgb / #rrggbb colour, or null if it is not one. */
export function luminance(hex) {
  const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex || "");
  if (!match) return null;
  let digits = match[1];
  if (digits.length === 3) digits = digits.replace(/./g, "$&$&");
  const [r, g, b] = [0, 2, 4].map((i) => channelToLinear(parseInt(digits.slice(i, i + 2), 16)));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(l1, l2) {
  return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
}

/** White or near-black, whichever reads better on `hex` (always at least 4.5:1). */
export function textColorOn(hex) {
  const l = luminance(hex);
  const dark = "#1a1a1a";
  return contrast(l, 1) >= contrast(l, luminance(dark)) ? "#ffffff" : dark;
}

function ownScriptTag() {
  return document.currentScript || document.querySelector("script[data-server-url]");
}

export function readConfig(script = ownScriptTag()) {
  const data = (script && script.dataset) || {};
  let serverUrl = data.serverUrl;
  if (!serverUrl && script && script.src) serverUrl = new URL(script.src).origin;
  let color = (data.color || "").trim();
  if (luminance(color) === null) {
    if (color) console.warn(`clinic chat: data-color "${color}" is not #rgb or #rrggbb; using the default`);
    color = DEFAULT_COLOR;
  }
  const privacyUrl = (data.privacyUrl ?? BUILD_PRIVACY_URL).trim();
  return {
    serverUrl: serverUrl || window.location.origin,
    socketPath: data.socketPath || "/socket.io",
    clinicName: (data.clinicName || "").trim() || "the clinic",
    color,
    onColor: textColorOn(color),
    // For text and borders on white: the clinic's colour when it reads well enough there.
    accentOnWhite: contrast(luminance(color), 1) >= 4.5 ? color : "#1a1a1a",
    position: data.position === "left" ? "left" : "right",
    persistence: data.persistence === "local" ? "local" : "session",
    privacyUrl,
  };
}
