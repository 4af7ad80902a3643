// Entry point of the built file: <script src=".../clinic-chat.js" data-server-url="..." defer>.
import { readConfig } from "./config.js";
import { ClinicChat } from "./widget.js";

const config = readConfig(); // must run now: document.currentScript is only set during this run

function start() {
  if (window.clinicChat) return; // the tag was included twice
  const chat = new ClinicChat(config);
  // For the clinic's own "chat with us" links: clinicChat.open(), clinicChat.close().
  window.clinicChat = { open: () => chat.open(), close: () => chat.close() };
}

if (document.body) start();
else document.addEventListener("DOMContentLoaded", start);
