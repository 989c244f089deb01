/*
 * Bækkenløsning chat widget: one <script> tag, no dependencies, no CDN.
 *
 *   <script src="https://bot.example/webhooks/widget/widget.js"
 *           data-server="https://bot.example" data-lang="da"
 *           data-title="Spørg om bækkenløsning" defer></script>
 *
 * data-server defaults to where the script came from; data-lang to the page's
 * <html lang>; data-title to a title in that language. Messages go to Rasa's
 * REST channel. The server issues the conversation id together with a token
 * that proves the widget owns it (POST /webhooks/widget/session); both live in
 * localStorage, so a reload shows the history again (read back with the token).
 * "Delete conversation" (with a confirmation) deletes everything stored about
 * it on the server. Every text is rendered as text (textContent), never as
 * HTML; only http(s) links become links.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__pgpWidgetLoaded) return;
  window.__pgpWidgetLoaded = true;

  var scriptUrl = new URL(script.src, location.href);
  var server = (script.dataset.server || scriptUrl.origin).replace(/\/+$/, "");
  var widgetBase = scriptUrl.href.replace(/[^/]*$/, "");
  var STORAGE_KEY = "pgp-widget-conversation";

  var STRINGS = {
    da: {
      title: "Spørg om bækkenløsning",
      open: "Åbn chat om bækkenløsning",
      close: "Luk chatten",
      placeholder: "Skriv dit spørgsmål …",
      inputLabel: "Dit spørgsmål",
      send: "Send",
      restart: "Start forfra",
      typing: "Skriver …",
      unreachable: "Jeg kan ikke få forbindelse til chatten lige nu.",
      retry: "Prøv igen",
      log: "Samtale",
      you: "Du",
      bot: "Chatbot",
      note: "Generel information – ikke en undersøgelse.",
      privacy: "Samtalen gemmes i {days} dage, så du kan se den igen. Du kan slette den når som helst.",
      erase: "Slet samtale",
      eraseQuestion: "Slet hele samtalen? Den kan ikke findes frem igen.",
      eraseYes: "Slet",
      eraseNo: "Fortryd",
      erased: "Samtalen er slettet.",
      eraseFailed: "Samtalen kunne ikke slettes lige nu. Prøv igen.",
    },
    en: {
      title: "Ask about pelvic girdle pain",
      open: "Open chat about pelvic girdle pain",
      close: "Close the chat",
      placeholder: "Type your question …",
      inputLabel: "Your question",
      send: "Send",
      restart: "Start over",
      typing: "Typing …",
      unreachable: "I can't reach the chat right now.",
      retry: "Try again",
      log: "Conversation",
      you: "You",
      bot: "Chatbot",
      note: "General information – not an examination.",
      privacy: "The conversation is kept for {days} days so you can see it again. You can delete it at any time.",
      erase: "Delete conversation",
      eraseQuestion: "Delete the whole conversation? It cannot be brought back.",
      eraseYes: "Delete",
      eraseNo: "Cancel",
      erased: "The conversation has been deleted.",
      eraseFailed: "The conversation could not be deleted right now. Please try again.",
    },
  };

  function pageLanguage() {
    var lang = (script.dataset.lang || document.documentElement.lang || "da").toLowerCase();
    return lang.indexOf("en") === 0 ? "en" : "da";
  }
  var language = pageLanguage();
  var t = function (key) { return STRINGS[language][key]; };

  // --- the conversation and the token proving it is ours (issue 10) ----------
  // The server makes the id and signs it; history and deletion need the token.
  var conversation = storedConversation();
  var sender = conversation ? conversation.sender : null;
  var retentionDays = conversation ? conversation.retentionDays : 30;

  function storedConversation() {
    try {
      var stored = JSON.parse(localStorage.getItem(STORAGE_KEY) || "null");
      return stored && stored.sender && stored.token ? stored : null;
    } catch (e) {
      return null;
    }
  }

  function ensureConversation() {
    if (conversation) return Promise.resolve(conversation);
    return fetch(server + "/webhooks/widget/session", { method: "POST" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (issued) {
        conversation = { sender: issued.sender, token: issued.token, retentionDays: issued.retention_days };
        sender = conversation.sender;
        retentionDays = issued.retention_days;
        localStorage.setItem(STORAGE_KEY, JSON.stringify(conversation));
        applyPrivacyLine();
        return conversation;
      });
  }

  function forgetConversation() {
    conversation = null;
    sender = null;
    localStorage.removeItem(STORAGE_KEY);
    localStorage.removeItem("pgp-widget-sender"); // the unsigned id of older versions
  }

  function ownerHeaders() {
    return { Authorization: "Bearer " + conversation.token };
  }

  // --- elements -----------------------------------------------------------
  var link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = widgetBase + "widget.css";
  document.head.appendChild(link);

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function chatIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "28");
    svg.setAttribute("height", "28");
    svg.setAttribute("aria-hidden", "true");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z");
    svg.appendChild(path);
    return svg;
  }

  var root = el("div", "pgp-widget");
  var launcher = el("button", "pgp-launcher");
  launcher.type = "button";
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "pgp-panel");
  launcher.appendChild(chatIcon());

  var panel = el("section", "pgp-panel");
  panel.id = "pgp-panel";
  panel.hidden = true;
  panel.setAttribute("role", "dialog");

  var header = el("header", "pgp-header");
  var title = el("h2", "pgp-title");
  title.id = "pgp-title";
  panel.setAttribute("aria-labelledby", "pgp-title");
  var restart = el("button", "pgp-restart");
  restart.type = "button";
  var close = el("button", "pgp-close", "×");
  close.type = "button";
  header.append(title, restart, close);

  var log = el("div", "pgp-log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  var typing = el("div", "pgp-typing");
  typing.hidden = true;
  var notice = el("div", "pgp-notice");
  notice.hidden = true;
  notice.setAttribute("role", "alert");
  var noticeText = el("span");
  var retry = el("button", "pgp-retry");
  retry.type = "button";
  notice.append(noticeText, retry);

  var form = el("form", "pgp-form");
  var input = el("input", "pgp-input");
  input.type = "text";
  input.id = "pgp-input";
  input.autocomplete = "off";
  input.maxLength = 2000;
  var label = el("label", "pgp-visually-hidden");
  label.htmlFor = "pgp-input";
  var send = el("button", "pgp-send");
  send.type = "submit";
  form.append(label, input, send);
  var note = el("p", "pgp-note");
  var privacy = el("p", "pgp-note pgp-privacy");
  var eraseControl = buildEraseControl();

  panel.append(header, log, typing, notice, eraseControl.confirmation, form, note, privacy);
  root.append(panel, launcher);

  function applyLanguage() {
    title.textContent = script.dataset.title || t("title");
    launcher.setAttribute("aria-label", panel.hidden ? t("open") : t("close"));
    close.setAttribute("aria-label", t("close"));
    restart.textContent = t("restart");
    log.setAttribute("aria-label", t("log"));
    typing.textContent = t("typing");
    noticeText.textContent = t("unreachable") + " ";
    retry.textContent = t("retry");
    input.placeholder = t("placeholder");
    label.textContent = t("inputLabel");
    send.textContent = t("send");
    note.textContent = t("note");
    applyPrivacyLine();
    eraseControl.applyLanguage();
  }

  // --- privacy line and "delete conversation" (issue 10) ---------------------
  function applyPrivacyLine() {
    if (!privacy) return;
    privacy.textContent = t("privacy").replace("{days}", String(retentionDays)) + " ";
    privacy.appendChild(eraseControl.button);
  }

  function buildEraseControl() {
    var button = el("button", "pgp-erase");
    button.type = "button";
    var confirmation = el("div", "pgp-confirm");
    confirmation.hidden = true;
    confirmation.setAttribute("role", "alertdialog");
    confirmation.setAttribute("aria-labelledby", "pgp-confirm-question");
    var question = el("p", "pgp-confirm-question");
    question.id = "pgp-confirm-question";
    var yes = el("button", "pgp-confirm-yes");
    yes.type = "button";
    var no = el("button", "pgp-confirm-no");
    no.type = "button";
    confirmation.append(question, yes, no);

    button.addEventListener("click", function () {
      confirmation.hidden = false;
      no.focus();
    });
    no.addEventListener("click", function () {
      confirmation.hidden = true;
      button.focus();
    });
    yes.addEventListener("click", function () {
      yes.disabled = true;
      eraseConversation().then(function () {
        confirmation.hidden = true;
        log.textContent = "";
        addMessage("bot", t("erased"));
        started = false;
      }).catch(function () {
        question.textContent = t("eraseFailed");
      }).finally(function () {
        yes.disabled = false;
      });
    });

    return {
      button: button,
      confirmation: confirmation,
      applyLanguage: function () {
        button.textContent = t("erase");
        question.textContent = t("eraseQuestion");
        yes.textContent = t("eraseYes");
        no.textContent = t("eraseNo");
      },
    };
  }

  function eraseConversation() {
    if (!conversation) return Promise.resolve();
    return fetch(server + "/webhooks/widget/conversation", {
      method: "DELETE",
      headers: ownerHeaders(),
    }).then(function (response) {
      if (!response.ok && response.status !== 403) throw new Error("HTTP " + response.status);
      forgetConversation();
    });
  }

  // --- rendering (text only) ------------------------------------------------
  var URL_PATTERN = /(https?:\/\/[^\s<>"']+)/g;

  function appendTextWithLinks(node, text) {
    var parts = String(text).split(URL_PATTERN);
    parts.forEach(function (part, index) {
      if (index % 2 === 1) {
        var a = el("a", null, part);
        a.href = part;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        node.appendChild(a);
      } else if (part) {
        node.appendChild(document.createTextNode(part));
      }
    });
  }

  function addMessage(from, text, buttons) {
    var item = el("div", "pgp-message pgp-" + from);
    item.appendChild(el("span", "pgp-visually-hidden", (from === "user" ? t("you") : t("bot")) + ": "));
    var bubble = el("div", "pgp-bubble");
    appendTextWithLinks(bubble, text || "");
    item.appendChild(bubble);
    if (buttons && buttons.length) {
      var group = el("div", "pgp-buttons");
      buttons.forEach(function (button) {
        var b = el("button", "pgp-choice", button.title);
        b.type = "button";
        b.addEventListener("click", function () {
          group.querySelectorAll("button").forEach(function (x) { x.disabled = true; });
          sendMessage(button.payload, button.title);
        });
        group.appendChild(b);
      });
      item.appendChild(group);
    }
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  // --- talking to the server ------------------------------------------------
  var lastMessage = null;
  var pending = 0; // requests under way: the typing indicator shows while any is

  function post(message) {
    return fetch(server + "/webhooks/rest/webhook", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: sender, message: message, metadata: { language: language } }),
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    });
  }

  function sendMessage(message, shownAs) {
    if (shownAs !== null) addMessage("user", shownAs === undefined ? message : shownAs);
    lastMessage = { message: message };
    notice.hidden = true;
    typing.hidden = false;
    pending += 1;
    return ensureConversation().then(function () { return post(message); }).then(function (replies) {
      replies.forEach(function (reply) {
        if (reply.text || (reply.buttons && reply.buttons.length)) {
          addMessage("bot", reply.text, reply.buttons);
        }
      });
      lastMessage = null;
    }).catch(function () {
      notice.hidden = false;
    }).finally(function () {
      pending -= 1;
      typing.hidden = pending > 0;
    });
  }

  function loadHistory() {
    return ensureConversation()
      .then(function () {
        return fetch(server + "/webhooks/widget/history", { headers: ownerHeaders() });
      })
      .then(function (response) {
        if (response.status === 403) { // not ours any more (e.g. a new server secret)
          forgetConversation();
          return ensureConversation().then(function () { return { messages: [] }; });
        }
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (history) {
        log.textContent = "";
        history.messages.forEach(function (m) { addMessage(m.from, m.text, m.buttons); });
        return history.messages.length;
      });
  }

  var started = false;
  function start() {
    if (started) return Promise.resolve();
    started = true;
    return loadHistory().then(function (count) {
      if (count === 0) return sendMessage("/greet", null);
    }).catch(function () {
      started = false;
      lastMessage = { start: true };
      notice.hidden = false;
    });
  }

  // --- behaviour --------------------------------------------------------------
  function setOpen(open) {
    panel.hidden = !open;
    root.classList.toggle("pgp-open", open);
    launcher.setAttribute("aria-expanded", String(open));
    launcher.setAttribute("aria-label", open ? t("close") : t("open"));
    if (open) {
      start();
      input.focus();
    } else {
      launcher.focus();
    }
  }

  launcher.addEventListener("click", function () { setOpen(panel.hidden); });
  close.addEventListener("click", function () { setOpen(false); });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") setOpen(false);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    sendMessage(text);
  });
  retry.addEventListener("click", function () {
    var failed = lastMessage;
    notice.hidden = true;
    if (!failed || failed.start) { start(); return; }
    sendMessage(failed.message, null);
  });
  restart.addEventListener("click", function () {
    forgetConversation();
    log.textContent = "";
    started = false;
    start();
    input.focus();
  });

  // The page may switch language (e.g. a language menu changing <html lang>).
  new MutationObserver(function () {
    var next = pageLanguage();
    if (next !== language) { language = next; applyLanguage(); }
  }).observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });

  applyLanguage();
  function mount() { document.body.appendChild(root); }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
