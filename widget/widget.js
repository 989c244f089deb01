/*
 * Bækkenløsning chat widget: one <script> tag, no dependencies, no CDN.
 *
 *   <script src="https://bot.example/webhooks/widget/widget.js"
 *           data-server="https://bot.example" data-lang="da"
 *           data-title="Spørg om bækkenløsning" defer></script>
 *
 * data-server defaults to where the script came from; data-lang to the page's
 * <html lang>; data-title to a title in that language. Messages go to Rasa's
 * REST channel with the conversation's token. The server issues the conversation id together with a token
 * that proves the widget owns it (POST /webhooks/widget/session); both live in
 * localStorage, so a reload shows the history again (read back with the token).
 * "Delete conversation" (with a confirmation) deletes everything stored about
 * it on the server; it says "deleted" only when the server confirmed it (HTTP
 * 200, "deleted": true), and otherwise keeps the id and token so she can try
 * again. A message refused (HTTP 429, a limit at the load balancer; 503, the
 * server busy) stays on screen as hers; the notice says so in her language,
 * with Retry-After's seconds, and "Prøv igen" sends it again. Every text is
 * rendered as text (textContent), never as
 * HTML; only http(s) links and the emergency numbers (112, and lægevagten in
 * the five regions: 1813, 1818, 70 11 07 07, 70 11 31 31, 70 15 03 00) become
 * links.
 *
 * A bot message may carry metadata (assistant/channels/reply_metadata.py): "urgent"
 * marks the urgent advice (red, with an icon and a label), "response" names
 * the domain response, and FAQ answers ("utter_faq/...") get 👍/👎, sent back
 * as /feedback_helpful or /feedback_unhelpful. "source" (a FAQ answer's article
 * sentences, assistant/text/article_sources.py) becomes a "Kilde"/"Source"
 * disclosure under the answer that quotes them.
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
  var OPEN_KEY = "pgp-widget-open";

  var STRINGS = {
    da: {
      title: "Spørg om bækkenløsning",
      open: "Åbn chat om bækkenløsning",
      close: "Luk chatten",
      placeholder: "Skriv dit spørgsmål …",
      inputLabel: "Dit spørgsmål",
      send: "Send",
      restart: "Start forfra",
      restartQuestion: "Starte en ny samtale? Samtalen her forsvinder fra vinduet.",
      restartConfirm: "Ja, start forfra",
      restartCancel: "Fortryd",
      copy: "Kopiér samtale",
      copied: "Samtalen er kopieret.",
      copyFailed: "Kunne ikke kopiere – markér teksten i stedet.",
      download: "Hent som tekst",
      transcriptTitle: "Samtale om bækkenløsning",
      typing: "Skriver",
      urgent: "Vigtigt – søg hjælp nu",
      helpfulQuestion: "Kunne du bruge svaret?",
      source: "Kilde",
      sourceIntro: "Svaret bygger på disse sætninger fra artiklen:",
      sourceIntroTranslated: "Svaret er en oversættelse af disse sætninger fra artiklen (på dansk):",
      sourceOwnWords: "Resten af svaret, fx rådet om at blive undersøgt, er assistentens egne ord.",
      sourceNumber: function (n) { return "Sætning " + n; },
      helpful: "Ja, svaret hjalp",
      unhelpful: "Nej, svaret hjalp ikke",
      unread: function (n) { return n === 1 ? "1 ny besked" : n + " nye beskeder"; },
      unreachable: "Jeg kan ikke få forbindelse til chatten lige nu.",
      tooMany: "Der er sendt for mange beskeder på kort tid. Din besked er ikke gemt – prøv igen om {seconds} sekunder.",
      busy: "Chatten har travlt lige nu. Din besked er ikke gemt – prøv igen om {seconds} sekunder.",
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
      eraseFailed: "Samtalen blev ikke slettet – den er stadig gemt. Prøv igen om lidt.",
    },
    en: {
      title: "Ask about pelvic girdle pain",
      open: "Open chat about pelvic girdle pain",
      close: "Close the chat",
      placeholder: "Type your question …",
      inputLabel: "Your question",
      send: "Send",
      restart: "Start over",
      restartQuestion: "Start a new conversation? This one disappears from the window.",
      restartConfirm: "Yes, start over",
      restartCancel: "Cancel",
      copy: "Copy conversation",
      copied: "The conversation has been copied.",
      copyFailed: "Couldn't copy – select the text instead.",
      download: "Download as text",
      transcriptTitle: "Conversation about pelvic girdle pain",
      typing: "Typing",
      urgent: "Important – get help now",
      helpfulQuestion: "Was this answer helpful?",
      source: "Source",
      sourceIntro: "The answer rests on these sentences from the article:",
      sourceIntroTranslated: "The answer is an English translation of these sentences from the article (in Danish):",
      sourceOwnWords: "The rest of the answer, such as the advice to get examined, is the assistant's own words.",
      sourceNumber: function (n) { return "Sentence " + n; },
      helpful: "Yes, the answer helped",
      unhelpful: "No, the answer didn't help",
      unread: function (n) { return n === 1 ? "1 new message" : n + " new messages"; },
      unreachable: "I can't reach the chat right now.",
      tooMany: "Too many messages were sent in a short time. Your message was not stored – try again in {seconds} seconds.",
      busy: "The chat is busy right now. Your message was not stored – try again in {seconds} seconds.",
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
      eraseFailed: "The conversation was not deleted – it is still stored. Please try again in a moment.",
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
        if (!response.ok) throw refusal(response);
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

  function icon(size, d) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", String(size));
    svg.setAttribute("height", String(size));
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", d);
    svg.appendChild(path);
    return svg;
  }
  var ICONS = {
    chat: "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z",
    close: "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z",
    warning: "M12 2 1 21h22L12 2zm1 15h-2v2h2v-2zm0-7h-2v5h2v-5z",
    thumbUp: "M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 8 6 8.5 6 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z",
    thumbDown: "M22 3h-4v12h4V3zM2 14a2 2 0 0 0 2 2h6.3l-1 4.6v.3c0 .4.2.8.4 1.1l1.1 1 6.6-6.6c.4-.4.6-.9.6-1.4V5a2 2 0 0 0-2-2H7c-.8 0-1.5.5-1.8 1.2l-3 7.1c-.1.2-.2.5-.2.7v2z",
  };

  var root = el("div", "pgp-widget");
  var launcher = el("button", "pgp-launcher");
  launcher.type = "button";
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "pgp-panel");
  var chatGlyph = icon(28, ICONS.chat);
  chatGlyph.classList.add("pgp-icon-chat");
  var closeGlyph = icon(26, ICONS.close);
  closeGlyph.classList.add("pgp-icon-close");
  launcher.append(chatGlyph, closeGlyph);
  var badge = el("span", "pgp-badge");
  badge.setAttribute("aria-hidden", "true");
  badge.hidden = true;
  launcher.appendChild(badge);

  var panel = el("section", "pgp-panel");
  panel.id = "pgp-panel";
  panel.hidden = true;
  panel.setAttribute("role", "dialog");

  var header = el("header", "pgp-header");
  var title = el("h2", "pgp-title");
  title.id = "pgp-title";
  panel.setAttribute("aria-labelledby", "pgp-title");
  // The close button shows an icon only, so its accessible name is its label.
  var close = el("button", "pgp-close");
  close.type = "button";
  close.appendChild(icon(22, ICONS.close));
  header.append(title, close);

  var log = el("div", "pgp-log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  log.tabIndex = 0;
  var typing = el("div", "pgp-typing");
  typing.hidden = true;
  var typingText = el("span", "pgp-visually-hidden");
  var dots = el("span", "pgp-dots");
  dots.setAttribute("aria-hidden", "true");
  dots.append(el("span"), el("span"), el("span"));
  typing.append(dots, typingText);
  var notice = el("div", "pgp-notice");
  notice.hidden = true;
  notice.setAttribute("role", "alert");
  var noticeText = el("span");
  var retry = el("button", "pgp-retry");
  retry.type = "button";
  notice.append(noticeText, retry);

  var confirmBox = el("div", "pgp-confirm");
  confirmBox.id = "pgp-confirm";
  confirmBox.hidden = true;
  confirmBox.setAttribute("role", "group");
  confirmBox.setAttribute("aria-labelledby", "pgp-confirm-text");
  var confirmText = el("p", "pgp-confirm-text");
  confirmText.id = "pgp-confirm-text";
  var confirmYes = el("button", "pgp-confirm-yes");
  confirmYes.type = "button";
  var confirmNo = el("button", "pgp-confirm-no");
  confirmNo.type = "button";
  confirmBox.append(confirmText, confirmYes, confirmNo);

  var form = el("form", "pgp-form");
  var input = el("textarea", "pgp-input");
  input.id = "pgp-input";
  input.rows = 1;
  input.autocomplete = "off";
  input.maxLength = 2000;
  var label = el("label", "pgp-visually-hidden");
  label.htmlFor = "pgp-input";
  var send = el("button", "pgp-send");
  send.type = "submit";
  form.append(label, input, send);

  var tools = el("div", "pgp-tools");
  var copyButton = el("button", "pgp-tool pgp-copy");
  copyButton.type = "button";
  var downloadButton = el("button", "pgp-tool pgp-download");
  downloadButton.type = "button";
  var restart = el("button", "pgp-tool pgp-restart");
  restart.type = "button";
  restart.setAttribute("aria-controls", "pgp-confirm");
  restart.setAttribute("aria-expanded", "false");
  tools.append(copyButton, downloadButton, restart);
  var status = el("p", "pgp-status");
  status.setAttribute("role", "status");
  var note = el("p", "pgp-note");
  var privacy = el("p", "pgp-note pgp-privacy");
  var eraseControl = buildEraseControl();

  panel.append(header, log, typing, notice, confirmBox, eraseControl.confirmation, form, tools, status, note, privacy);
  root.append(panel, launcher);

  function applyLanguage() {
    title.textContent = script.dataset.title || t("title");
    updateLauncherLabel();
    close.setAttribute("aria-label", t("close"));
    restart.textContent = t("restart");
    copyButton.textContent = t("copy");
    downloadButton.textContent = t("download");
    confirmText.textContent = t("restartQuestion");
    confirmYes.textContent = t("restartConfirm");
    confirmNo.textContent = t("restartCancel");
    log.setAttribute("aria-label", t("log"));
    typingText.textContent = t("typing") + " …";
    showNoticeText();
    retry.textContent = t("retry");
    input.placeholder = t("placeholder");
    label.textContent = t("inputLabel");
    send.textContent = t("send");
    note.textContent = t("note");
    relabelMessages();
    applyPrivacyLine();
    eraseControl.applyLanguage();
  }

  // Labels the widget put on messages follow a language switch too.
  function relabelMessages() {
    root.querySelectorAll(".pgp-urgent-label strong").forEach(function (n) { n.textContent = t("urgent"); });
    root.querySelectorAll(".pgp-feedback-question").forEach(function (n) { n.textContent = t("helpfulQuestion"); });
    root.querySelectorAll(".pgp-source-summary").forEach(function (n) { n.textContent = t("source"); });
    root.querySelectorAll(".pgp-source-intro").forEach(function (n) {
      n.textContent = t(n.getAttribute("data-translated") === "true" ? "sourceIntroTranslated" : "sourceIntro");
    });
    root.querySelectorAll(".pgp-source-number").forEach(function (n) {
      n.textContent = t("sourceNumber")(n.getAttribute("data-n"));
    });
    root.querySelectorAll(".pgp-source-own").forEach(function (n) { n.textContent = t("sourceOwnWords"); });
    root.querySelectorAll(".pgp-rate-helpful, .pgp-rate-unhelpful").forEach(function (b) {
      var label = t(b.classList.contains("pgp-rate-helpful") ? "helpful" : "unhelpful");
      b.setAttribute("aria-label", label);
      b.title = label;
    });
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
    // Empty until a deletion fails; filling it is what a screen reader announces.
    var failure = el("p", "pgp-erase-failure");
    failure.setAttribute("role", "alert");
    var yes = el("button", "pgp-confirm-yes");
    yes.type = "button";
    var no = el("button", "pgp-confirm-no");
    no.type = "button";
    confirmation.append(question, failure, yes, no);
    var failed = false;

    function showFailure(show) {
      failed = show;
      failure.textContent = show ? t("eraseFailed") : "";
      yes.textContent = show ? t("retry") : t("eraseYes");
    }

    button.addEventListener("click", function () {
      showFailure(false);
      confirmation.hidden = false;
      no.focus();
    });
    no.addEventListener("click", function () {
      showFailure(false);
      confirmation.hidden = true;
      button.focus();
    });
    yes.addEventListener("click", function () {
      yes.disabled = true;
      failure.textContent = ""; // a second failure is announced again
      eraseConversation().then(function () {
        showFailure(false);
        confirmation.hidden = true;
        log.textContent = "";
        transcriptLines = [];
        addMessage("bot", t("erased"));
        started = false;
      }, function () {
        // nothing is forgotten: the conversation stays shown, id and token kept
        showFailure(true);
      }).finally(function () {
        yes.disabled = false;
        if (failed) yes.focus();
      });
    });

    return {
      button: button,
      confirmation: confirmation,
      applyLanguage: function () {
        button.textContent = t("erase");
        question.textContent = t("eraseQuestion");
        no.textContent = t("eraseNo");
        showFailure(failed);
      },
    };
  }

  // Deleted only when the server says so: a 403 (e.g. a server that cannot
  // check this token), a 5xx, no answer or no "deleted": true deleted nothing.
  var ERASE_TIMEOUT_MS = 15000;

  function erasureConfirmed(status, answer) {
    return status === 200 && !!answer && answer.deleted === true;
  }

  function eraseConversation() {
    var erasing = conversation;
    if (!erasing) return Promise.resolve();
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, ERASE_TIMEOUT_MS) : null;
    var status = 0;
    return fetch(server + "/webhooks/widget/conversation", {
      method: "DELETE",
      headers: { Authorization: "Bearer " + erasing.token },
      signal: controller ? controller.signal : undefined,
    }).then(function (response) {
      status = response.status;
      return response.json().catch(function () { return null; });
    }).then(function (answer) {
      if (!erasureConfirmed(status, answer)) throw new Error("not deleted (HTTP " + status + ")");
      if (conversation === erasing) forgetConversation();
    }).finally(function () {
      clearTimeout(timer);
    });
  }

  // --- rendering (text only) ------------------------------------------------
  var URL_PATTERN = /(https?:\/\/[^\s<>"']+)/g;
  // Emergency (112) and lægevagten in the five regions (1813 Hovedstaden, 1818
  // Sjælland, 70 11 07 07 Syddanmark, 70 11 31 31 Midtjylland, 70 15 03 00
  // Nordjylland), as whole numbers only: never a part of a longer number
  // ("11223", "+45 70 11 07 07 9"), so a digit (or a digit and a space) on
  // either side leaves the text as it is. One capturing group, for split().
  var PHONE_PATTERN =
    /(?<![\d+]|\d[ \u00a0])(112|1813|1818|70[ \u00a0]?11[ \u00a0]?07[ \u00a0]?07|70[ \u00a0]?11[ \u00a0]?31[ \u00a0]?31|70[ \u00a0]?15[ \u00a0]?03[ \u00a0]?00)(?![ \u00a0]?\d)/g;

  // tel: with the digits only; the eight-digit numbers with Denmark's +45.
  function telHref(number) {
    var digits = number.replace(/\D/g, "");
    return "tel:" + (digits.length === 8 ? "+45" + digits : digits);
  }

  function appendPhoneLinks(node, text) {
    var parts = text.split(PHONE_PATTERN);
    parts.forEach(function (part, index) {
      if (index % 2 === 1) {
        var a = el("a", "pgp-tel", part);
        a.href = telHref(part);
        node.appendChild(a);
      } else if (part) {
        node.appendChild(document.createTextNode(part));
      }
    });
  }

  function appendTextWithLinks(node, text, phones) {
    var parts = String(text).split(URL_PATTERN);
    parts.forEach(function (part, index) {
      if (index % 2 === 1) {
        var a = el("a", null, part);
        a.href = part;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        node.appendChild(a);
      } else if (part && phones) {
        appendPhoneLinks(node, part);
      } else if (part) {
        node.appendChild(document.createTextNode(part));
      }
    });
  }

  // Every message, as shown, for the transcript: {from, text, time}.
  var transcriptLines = [];

  function clockTime(date) {
    return ("0" + date.getHours()).slice(-2) + ":" + ("0" + date.getMinutes()).slice(-2);
  }

  function timeElement(date) {
    var time = el("time", "pgp-time", clockTime(date));
    time.dateTime = date.toISOString();
    time.title = date.toLocaleString(language === "en" ? "en-GB" : "da-DK");
    return time;
  }

  function urgentLabel() {
    var label = el("p", "pgp-urgent-label");
    label.appendChild(icon(18, ICONS.warning));
    label.appendChild(el("strong", null, t("urgent")));
    return label;
  }

  // options: {buttons, metadata, time (seconds), answered, feedback}
  function addMessage(from, text, options) {
    options = options || {};
    var metadata = options.metadata || {};
    var date = options.time ? new Date(options.time * 1000) : new Date();
    var item = el("div", "pgp-message pgp-" + from);
    item.appendChild(el("span", "pgp-visually-hidden", (from === "user" ? t("you") : t("bot")) + ": "));
    var bubble = el("div", "pgp-bubble");
    if (from === "bot" && metadata.urgent === true) {
      item.classList.add("pgp-urgent");
      bubble.appendChild(urgentLabel());
    }
    var body = el("div", "pgp-text");
    appendTextWithLinks(body, text || "", from === "bot");
    bubble.appendChild(body);
    item.appendChild(bubble);
    item.appendChild(timeElement(date));
    if (options.buttons && options.buttons.length) {
      item.appendChild(quickReplies(options.buttons, options.answered));
    }
    if (from === "bot" && metadata.source && metadata.source.sentences && metadata.source.sentences.length) {
      item.appendChild(sourceControl(metadata.source));
    }
    if (from === "bot" && String(metadata.response || "").indexOf("utter_faq/") === 0) {
      item.appendChild(feedbackControls(metadata.response, options.feedback));
    }
    log.appendChild(item);
    transcriptLines.push({ from: from, text: text || "", time: date });
    if (from === "bot" && panel.hidden) markUnread();
    return item;
  }

  // --- quick replies ----------------------------------------------------------
  function quickReplies(buttons, answered) {
    var group = el("div", "pgp-buttons");
    buttons.forEach(function (button) {
      var b = el("button", "pgp-choice", button.title);
      b.type = "button";
      b.disabled = !!answered;
      b.addEventListener("click", function () {
        b.classList.add("pgp-chosen");
        sendMessage(button.payload, button.title);
        input.focus();
      });
      group.appendChild(b);
    });
    return group;
  }

  // Once she says anything, earlier quick replies are spent (as after a reload).
  function disableQuickReplies() {
    log.querySelectorAll(".pgp-choice").forEach(function (b) { b.disabled = true; });
  }

  // --- the article sentences behind a FAQ answer (issue 23) -------------------
  // A native <details>: a keyboard and a screen reader open it as a disclosure.
  // The quotes are the article's own Danish words (lang="da"), as text.
  function sourceIntroKey(source) {
    return source.translated ? "sourceIntroTranslated" : "sourceIntro";
  }

  function sourceControl(source) {
    var box = el("details", "pgp-source");
    box.appendChild(el("summary", "pgp-source-summary", t("source")));
    var intro = el("p", "pgp-source-intro", t(sourceIntroKey(source)));
    intro.setAttribute("data-translated", String(!!source.translated));
    box.appendChild(intro);
    var list = el("ul", "pgp-source-quotes");
    source.sentences.forEach(function (sentence) {
      var item = el("li", "pgp-source-quote");
      var number = el("span", "pgp-source-number", t("sourceNumber")(sentence.n));
      number.setAttribute("data-n", String(sentence.n));
      item.appendChild(number);
      var quote = el("q", null, String(sentence.text || ""));
      quote.setAttribute("lang", source.language || "da");
      item.appendChild(quote);
      list.appendChild(item);
    });
    box.appendChild(list);
    if (source.own_words) box.appendChild(el("p", "pgp-source-own", t("sourceOwnWords")));
    return box;
  }

  // --- feedback on FAQ answers ------------------------------------------------
  function feedbackControls(response, given) {
    var box = el("div", "pgp-feedback");
    box.setAttribute("role", "group");
    var question = el("span", "pgp-feedback-question", t("helpfulQuestion"));
    var id = "pgp-fb-" + Math.random().toString(36).slice(2);
    question.id = id;
    box.setAttribute("aria-labelledby", id);
    box.appendChild(question);
    var choices = [
      { rating: "helpful", payload: "/feedback_helpful", label: t("helpful"), d: ICONS.thumbUp },
      { rating: "unhelpful", payload: "/feedback_unhelpful", label: t("unhelpful"), d: ICONS.thumbDown },
    ];
    var buttons = choices.map(function (choice) {
      var b = el("button", "pgp-rate pgp-rate-" + choice.rating);
      b.type = "button";
      b.setAttribute("aria-label", choice.label);
      b.title = choice.label;
      b.appendChild(icon(18, choice.d));
      b.setAttribute("aria-pressed", String(given === choice.rating));
      b.disabled = !!given;
      b.addEventListener("click", function () {
        buttons.forEach(function (x) { x.disabled = true; });
        b.setAttribute("aria-pressed", "true");
        sendMessage(choice.payload, null, { feedback_for: { response: response } }, true);
        input.focus();
      });
      box.appendChild(b);
      return b;
    });
    return box;
  }

  // --- scrolling ----------------------------------------------------------------
  function scrollToEnd() { log.scrollTop = log.scrollHeight; }

  // A reply of several parts is read from its first part: scroll as far down
  // as possible while that part's top stays in view.
  function revealFrom(first) {
    if (!first) return;
    var offset = first.getBoundingClientRect().top - log.getBoundingClientRect().top;
    var wanted = log.scrollTop + offset - 8;
    log.scrollTop = Math.min(wanted, log.scrollHeight - log.clientHeight);
  }

  // --- unread badge ---------------------------------------------------------------
  var unread = 0;
  function updateLauncherLabel() {
    var base = panel.hidden ? t("open") : t("close");
    launcher.setAttribute("aria-label", unread && panel.hidden ? base + " (" + t("unread")(unread) + ")" : base);
    badge.textContent = String(unread);
    badge.hidden = !(unread && panel.hidden);
  }
  function markUnread() { unread += 1; updateLauncherLabel(); }
  function clearUnread() { unread = 0; updateLauncherLabel(); }

  // --- transcript (copy / download) --------------------------------------------------
  function transcriptText() {
    var lines = [t("transcriptTitle") + " – " + new Date().toLocaleDateString(language === "en" ? "en-GB" : "da-DK"), ""];
    transcriptLines.forEach(function (line) {
      lines.push("[" + clockTime(line.time) + "] " + (line.from === "user" ? t("you") : t("bot")) + ": " + line.text);
    });
    return lines.join("\n") + "\n";
  }

  function showStatus(text) {
    status.textContent = text;
    clearTimeout(showStatus.timer);
    showStatus.timer = setTimeout(function () { status.textContent = ""; }, 4000);
  }

  function copyTranscript() {
    var text = transcriptText();
    var done = function () { showStatus(t("copied")); };
    var fallback = function () {
      var area = el("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "pgp-visually-hidden";
      panel.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      area.remove();
      copyButton.focus();
      showStatus(ok ? t("copied") : t("copyFailed"));
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  }

  function downloadTranscript() {
    var blob = new Blob([transcriptText()], { type: "text/plain;charset=utf-8" });
    var a = el("a");
    a.href = URL.createObjectURL(blob);
    a.download = (language === "en" ? "conversation-pelvic-girdle-pain-" : "samtale-baekkenloesning-")
      + new Date().toISOString().slice(0, 10) + ".txt";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }

  // --- talking to the server ------------------------------------------------
  var lastMessage = null;
  var pending = 0; // requests under way: the typing indicator shows while any is

  function post(message, metadata) {
    var meta = { language: language };
    Object.keys(metadata || {}).forEach(function (key) { meta[key] = metadata[key]; });
    return fetch(server + "/webhooks/rest/webhook", {
      method: "POST",
      // the token proves the conversation is ours: without it the server refuses
      headers: { "Content-Type": "application/json", Authorization: "Bearer " + conversation.token },
      body: JSON.stringify({ sender: sender, message: message, metadata: meta }),
    }).then(function (response) {
      if (!response.ok) throw refusal(response);
      return response.json();
    });
  }

  // An HTTP error, with what the notice tells her: 429 (a limit at the load
  // balancer, deploy/haproxy.cfg) and 503 (the server busy) say when to try
  // again (Retry-After); nothing was stored, and Retry sends her text again.
  function refusal(response) {
    var error = new Error("HTTP " + response.status);
    error.status = response.status;
    error.retryAfter = parseInt(response.headers.get("Retry-After") || "", 10) || 10;
    return error;
  }

  var lastFailure = null;
  function showNoticeText() {
    var status = lastFailure && lastFailure.status;
    var key = status === 429 ? "tooMany" : status === 503 ? "busy" : "unreachable";
    noticeText.textContent = t(key).replace("{seconds}", lastFailure && lastFailure.retryAfter) + " ";
  }

  function showNotice(error) {
    lastFailure = error || null;
    showNoticeText();
    notice.hidden = false;
  }

  function updateTyping() { typing.hidden = pending === 0; }

  // shownAs: the text shown as hers (null: nothing, e.g. /greet or a 👍);
  // keepChoices: a rating leaves the current quick replies usable.
  // What she sends while the widget starts waits for the start (the history,
  // then the greeting): the history would otherwise replace her message, and
  // the greeting could come after the answer to her question.
  function sendMessage(message, shownAs, metadata, keepChoices) {
    if (starting) {
      var send = function () { return sendMessage(message, shownAs, metadata, keepChoices); };
      return starting.then(send, send);
    }
    return exchange(message, shownAs, metadata, keepChoices);
  }

  function exchange(message, shownAs, metadata, keepChoices) {
    if (!keepChoices) disableQuickReplies();
    if (shownAs !== null) {
      addMessage("user", shownAs === undefined ? message : shownAs);
      scrollToEnd();
    }
    lastMessage = { message: message, metadata: metadata, keepChoices: keepChoices };
    notice.hidden = true;
    pending += 1;
    updateTyping();
    scrollToEnd();
    return ensureConversation().then(function () { return post(message, metadata); }).then(function (replies) {
      var first = null;
      replies.forEach(function (reply) {
        if (reply.text || (reply.buttons && reply.buttons.length)) {
          var item = addMessage("bot", reply.text, { buttons: reply.buttons, metadata: reply.metadata });
          first = first || item;
        }
      });
      lastMessage = null;
      pending -= 1;
      updateTyping();
      revealFrom(first);
    }, function (error) {
      pending -= 1;
      updateTyping();
      showNotice(error);
      scrollToEnd();
    });
  }

  function loadHistory() {
    return ensureConversation()
      .then(function () {
        // the token names the conversation (no id in the URL, so none in a log);
        // a load balancer routes by the id inside it (deploy/haproxy.cfg)
        return fetch(server + "/webhooks/widget/history", { headers: ownerHeaders() });
      })
      .then(function (response) {
        if (response.status === 403) { // not ours any more (e.g. a new server secret)
          forgetConversation();
          return ensureConversation().then(function () { return { messages: [] }; });
        }
        if (!response.ok) throw refusal(response);
        return response.json();
      })
      .then(function (history) {
        log.textContent = "";
        transcriptLines = [];
        history.messages.forEach(function (m) {
          addMessage(m.from, m.text, m);
        });
        clearUnread();
        scrollToEnd();
        return history.messages.length;
      });
  }

  var started = false;
  var starting = null; // the start under way: history, then the greeting
  function start() {
    if (started) return starting || Promise.resolve();
    started = true;
    var run = loadHistory().then(function (count) {
      if (count === 0) return exchange("/greet", null);
    }).catch(function (error) {
      started = false;
      lastMessage = { start: true };
      showNotice(error);
    }).then(function () {
      if (starting === run) starting = null;
    });
    starting = run;
    return run;
  }

  // --- behaviour --------------------------------------------------------------
  function rememberOpen(open) {
    try { localStorage.setItem(OPEN_KEY, open ? "1" : "0"); } catch (e) { /* private mode */ }
  }

  function setOpen(open, moveFocus) {
    panel.hidden = !open;
    root.classList.toggle("pgp-open", open);
    launcher.setAttribute("aria-expanded", String(open));
    if (open) clearUnread(); else updateLauncherLabel();
    rememberOpen(open);
    if (open) {
      start();
      if (moveFocus !== false) input.focus();
    } else {
      showConfirm(false);
      if (moveFocus !== false) launcher.focus();
    }
  }

  // "Start over" asks first, in the panel.
  function showConfirm(show) {
    confirmBox.hidden = !show;
    restart.setAttribute("aria-expanded", String(show));
    if (show) confirmNo.focus();
  }

  function startOver() {
    showConfirm(false);
    forgetConversation();
    log.textContent = "";
    transcriptLines = [];
    started = false;
    start();
    input.focus();
  }

  // Enter sends, Shift+Enter starts a new line; the box grows with the text.
  function autoGrow() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, 120) + "px";
  }

  launcher.addEventListener("click", function () { setOpen(panel.hidden); });
  close.addEventListener("click", function () { setOpen(false); });
  panel.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    if (!confirmBox.hidden) { showConfirm(false); restart.focus(); return; }
    setOpen(false);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });
  input.addEventListener("input", autoGrow);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    autoGrow();
    sendMessage(text);
  });
  retry.addEventListener("click", function () {
    var failed = lastMessage;
    notice.hidden = true;
    if (!failed || failed.start) { start(); return; }
    sendMessage(failed.message, null, failed.metadata, failed.keepChoices);
  });
  restart.addEventListener("click", function () { showConfirm(confirmBox.hidden); });
  confirmYes.addEventListener("click", startOver);
  confirmNo.addEventListener("click", function () { showConfirm(false); restart.focus(); });
  copyButton.addEventListener("click", copyTranscript);
  downloadButton.addEventListener("click", downloadTranscript);

  // The page may switch language (e.g. a language menu changing <html lang>).
  new MutationObserver(function () {
    var next = pageLanguage();
    if (next !== language) { language = next; applyLanguage(); }
  }).observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });

  applyLanguage();
  function mount() {
    document.body.appendChild(root);
    // Open again after a reload if she left it open (without taking the focus).
    var wasOpen = false;
    try { wasOpen = localStorage.getItem(OPEN_KEY) === "1"; } catch (e) { wasOpen = false; }
    if (wasOpen) setOpen(true, false);
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
