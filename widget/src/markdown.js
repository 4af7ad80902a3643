// The small, safe markdown subset used in bot messages: **bold**, [text](url), bare
// web addresses (https://…, www.…, or a host such as 111.nhs.uk), e-mail addresses and
// line breaks. Everything else, HTML included, is shown exactly as written: the result
// is built from text nodes and elements whose text is set as text, never parsed as HTML.

const LINK_PROTOCOLS = new Set(["http:", "https:", "mailto:", "tel:"]);

// One alternative per construct, tried left to right at each position.
const TOKEN = new RegExp(
  [
    /\[([^\]\n]{1,200})\]\(([^()\s]{1,2000})\)/.source, // [text](url)
    /\*\*([^*\n]{1,500})\*\*/.source, // **bold**
    /(https?:\/\/[^\s<>"']+)/.source, // https://…
    /([\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+)/.source, // e-mail
    /((?:[a-z0-9-]+\.)+(?:uk|com|org|net)\b(?:\/[^\s<>"']*)?)/.source, // bare host, www. too (one way to split: no backtracking)
  ].join("|"),
  "gi",
);
// Sentence punctuation right after an address is not part of it.
const TRAILING = /[.,;:!?)\]]+$/;

/** The URL to link to, or null if it is not an absolute http(s), mailto or tel address. */
export function safeUrl(raw) {
  try {
    const url = new URL(raw);
    return LINK_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

function link(href, text) {
  const a = document.createElement("a");
  a.href = href;
  a.textContent = text;
  if (/^https?:/.test(href)) {
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    const note = document.createElement("span");
    note.className = "sr";
    note.textContent = " (opens in a new tab)";
    a.append(note);
  }
  return a;
}

function appendInline(parent, line) {
  let last = 0;
  for (const match of line.matchAll(TOKEN)) {
    let [whole, linkText, linkUrl, bold, webUrl, email, host] = match;
    let tail = "";
    if (webUrl || host) {
      const trimmed = whole.replace(TRAILING, "");
      tail = whole.slice(trimmed.length);
      whole = trimmed;
    }
    parent.append(line.slice(last, match.index));
    last = match.index + match[0].length;
    let node = null;
    if (linkText !== undefined) {
      const href = safeUrl(linkUrl);
      node = href ? link(href, linkText) : null;
    } else if (bold !== undefined) {
      node = document.createElement("strong");
      node.textContent = bold;
    } else {
      const href = safeUrl(webUrl ? whole : email ? `mailto:${email}` : `https://${whole}`);
      node = href ? link(href, whole) : null;
    }
    parent.append(node || whole, tail);
  }
  parent.append(line.slice(last));
}

/** Appends `text`, rendered with the safe subset, to `parent`. */
export function renderBotText(parent, text) {
  String(text)
    .split("\n")
    .forEach((line, index) => {
      if (index > 0) parent.append(document.createElement("br"));
      appendInline(parent, line);
    });
}
