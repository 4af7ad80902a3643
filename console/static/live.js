// The conversation page, live: new visitor, assistant and staff turns are added as they come
// (server-sent events from the tracker store); without this script the page works by reloading.
(function () {
  "use strict";
  var list = document.getElementById("transcript");
  if (!list || !window.EventSource) return;
  var last = parseInt(list.getAttribute("data-last-id"), 10) || 0;
  var source = new EventSource(list.getAttribute("data-events") + "?after=" + last);

  function speaker(turn) {
    if (turn.speaker === "visitor") return "Visitor";
    if (turn.speaker === "staff") return turn.staff + " (staff)";
    return "Assistant";
  }

  // Someone took the conversation over or handed it back: reload for the right buttons.
  source.addEventListener("state", function (event) {
    var staff = JSON.parse(event.data).staff || "";
    if (staff !== (list.getAttribute("data-staff") || "")) window.location.reload();
  });

  source.addEventListener("turn", function (event) {
    var turn = JSON.parse(event.data);
    if (turn.id <= last) return;
    last = turn.id;
    var item = document.createElement("li");
    item.className = "line " + turn.speaker + (turn.emergency ? " emergency" : "");
    item.setAttribute("data-id", String(turn.id));
    var meta = document.createElement("p");
    meta.className = "meta";
    var who = document.createElement("span");
    who.className = "speaker";
    who.textContent = speaker(turn);
    meta.appendChild(who);
    if (turn.emergency) {
      var flag = document.createElement("strong");
      flag.className = "flag";
      flag.textContent = " Emergency";
      meta.appendChild(flag);
    }
    var when = document.createElement("time");
    when.setAttribute("datetime", turn.time);
    when.textContent = " " + new Date(turn.time).toLocaleString("en-GB");
    meta.appendChild(when);
    var text = document.createElement("p");
    text.className = "text";
    text.textContent = turn.text;
    item.appendChild(meta);
    item.appendChild(text);
    list.appendChild(item);
  });
})();
