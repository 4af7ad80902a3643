// Builds dist/clinic-chat.js: the widget and socket.io-client in one minified file.
//   node build.mjs          (npm run build)
// CLINIC_DETAILS_FILE (as for the action server) and WIDGET_OUTFILE override the paths.
// Fails if the source writes HTML from strings, or if the result is over the size budget.
import { readFileSync, readdirSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { load as loadYaml } from "js-yaml";

const here = dirname(fileURLToPath(import.meta.url));
const SIZE_BUDGET_GZIP = 60 * 1024; // bytes, socket.io-client included
const OUT = process.env.WIDGET_OUTFILE || join(here, "dist", "clinic-chat.js");
const DETAILS = process.env.CLINIC_DETAILS_FILE || join(here, "..", "content", "clinic_details.yml");

// Visitor and bot text must only ever be set as text.
const HTML_SINKS = /\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write)\b/;
for (const name of readdirSync(join(here, "src"))) {
  const source = readFileSync(join(here, "src", name), "utf8");
  const line = source.split("\n").findIndex((text) => HTML_SINKS.test(text.replace(/\/\/.*$/, "")));
  if (line >= 0) throw new Error(`src/${name}:${line + 1} writes HTML from a string; use textContent / DOM nodes`);
}

// The privacy notice link defaults to the clinic details; data-privacy-url overrides it.
const details = loadYaml(readFileSync(DETAILS, "utf8")) || {};
const privacyUrl = String(details.privacy_notice_url || "").trim();

const css = (
  await esbuild.transform(readFileSync(join(here, "src", "styles.css"), "utf8"), { loader: "css", minify: true })
).code;

mkdirSync(dirname(OUT), { recursive: true });
await esbuild.build({
  entryPoints: [join(here, "src", "index.js")],
  outfile: OUT,
  bundle: true,
  minify: true,
  format: "iife",
  platform: "browser",
  target: ["es2020", "chrome90", "firefox90", "safari15", "edge90"],
  define: { __WIDGET_CSS__: JSON.stringify(css), __PRIVACY_URL__: JSON.stringify(privacyUrl) },
  legalComments: "eof",
  logLevel: "warning",
});

const built = readFileSync(OUT);
const gzipped = gzipSync(built, { level: 9 }).length;
writeFileSync(OUT.replace(/\.js$/, ".size.json"), JSON.stringify({ bytes: built.length, gzipBytes: gzipped }) + "\n");
console.log(
  `${OUT}: ${(built.length / 1024).toFixed(1)} KB, ${(gzipped / 1024).toFixed(1)} KB gzipped ` +
    `(budget ${SIZE_BUDGET_GZIP / 1024} KB)` + (privacyUrl ? `; privacy notice ${privacyUrl}` : "; no privacy notice URL in clinic details"),
);
if (gzipped > SIZE_BUDGET_GZIP) throw new Error(`the widget is ${gzipped} bytes gzipped, over the ${SIZE_BUDGET_GZIP} budget`);
