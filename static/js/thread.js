/* Live thread: joins with the page's last seq, rejoins with the latest after every reconnect,
   drops what it already has (by id), announces the others' new messages to screen readers.
   Opens at the first unread message ("Nouveaux messages", the page's #unread). What arrives
   live while the page is visible counts as read: the server is told (thread:read) at most
   every few seconds, with the highest seq shown; nothing is marked read while it is hidden.
   Offline-aware: a notice while the socket is down, the draft kept in the browser
   (localStorage), a message written offline queued and sent with its client_id once the
   connection is back (the server keeps one message per client_id: sent once). The plain form
   is never submitted into a dead network by this script.
   A reply sent or taken back ("Ne plus répondre") leaves the form answering nothing.
   Without this script the page and its form still work. */
(function () {
  "use strict";
  // An error acknowledgement in words: its message, then what it says of each field.
  function ackText(ack) {
    if (!ack || !ack.error) return "";
    var parts = [ack.error.message];
    var errors = ack.error.errors || {};
    Object.keys(errors).forEach(function (name) {
      [].concat(errors[name]).forEach(function (text) {
        if (typeof text === "string" && parts.indexOf(text) < 0) parts.push(text);
      });
    });
    return parts.join(" ");
  }

  var list = document.getElementById("messages");
  if (!list) return;

  // Open at the first unread message: scrolled to (without motion when the person asked for
  // less), and focused, so that a screen reader starts reading there too.
  function openAtUnread(event) {
    var marker = document.getElementById("unread");
    if (!marker || !marker.classList.contains("unread-marker")) return;
    if (event) event.preventDefault();
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    marker.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" });
    marker.focus({ preventScroll: true });
  }
  var jump = document.getElementById("jump-unread");
  if (jump) jump.addEventListener("click", openAtUnread);
  // Another place named by the address (a message, the form) wins; else the first unread one.
  if (!location.hash || location.hash === "#unread") openAtUnread();

  if (!list.dataset.live || typeof window.terreauSocket !== "function") return;

  var threadId = Number(list.dataset.threadId);
  var lastSeq = Number(list.dataset.lastSeq) || 0;
  var labels = list.dataset;
  var live = document.getElementById("thread-live");
  var typingLine = document.getElementById("thread-typing");
  var form = document.getElementById("message-form");
  var joined = false;
  var pending = []; // live messages that arrive while a join is under way
  var typingTimer = null;
  var lastTypingSent = 0;

  var socket = window.terreauSocket(); // the page's one connection, shared with the bell

  function byId(id) {
    return list.querySelector('[data-message-id="' + id + '"]');
  }

  // Her own message (in another of her tabs, or live before the answer to her sending).
  function isMine(message) {
    return Boolean(message.author) && String(message.author.id) === labels.me;
  }

  function fill(template, name) {
    return template.replace("{name}", name);
  }

  // A moment in the site's one format ("2 décembre 2026 à 14:30"), as the server writes it.
  function moment(iso) {
    var when = new Date(iso);
    var lang = document.documentElement.lang || "fr";
    try {
      var zone = labels.timeZone || undefined;
      var day = new Intl.DateTimeFormat(lang, { day: "numeric", month: "long", year: "numeric", timeZone: zone }).format(when);
      var time = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone }).format(when);
      return (labels.labelMoment || "{date} {time}").replace("{date}", day).replace("{time}", time);
    } catch (error) {
      return when.toLocaleString(lang);
    }
  }

  function render(message) {
    var item = document.createElement("li");
    item.id = "message-" + message.id;
    item.className = "message" + (message.hidden ? " is-hidden" : "") + (message.deleted ? " is-deleted" : "");
    item.dataset.messageId = message.id;
    item.dataset.seq = message.seq;
    var meta = document.createElement("p");
    meta.className = "message-meta";
    var author = document.createElement("strong");
    author.className = "message-author";
    author.textContent = message.author ? message.author.display_name : labels.labelErased;
    if (!message.author) author.setAttribute("data-erased", "");
    var time = document.createElement("time");
    time.dateTime = message.created_at;
    time.textContent = moment(message.created_at);
    meta.append(author, " ", time);
    if (message.edited_at && !message.deleted) {
      var edited = document.createElement("span");
      edited.className = "message-edited";
      edited.textContent = labels.labelEdited;
      meta.append(" ", edited);
    }
    item.append(meta);
    if (message.reply_to) {
      // As on server-rendered replies: a link to the message answered.
      var reply = document.createElement("p");
      reply.className = "message-reply";
      var to = document.createElement("a");
      to.href = labels.threadUrl + "#message-" + message.reply_to;
      to.textContent = labels.labelInReply;
      reply.append(to);
      item.append(reply);
    }
    if (message.deleted || (message.hidden && !message.body_html)) {
      var removed = document.createElement("p");
      removed.className = "message-removed";
      removed.textContent = message.deleted ? labels.labelDeleted : labels.labelHidden;
      item.append(removed);
    } else {
      var body = document.createElement("div");
      body.className = "message-body";
      body.innerHTML = message.body_html; // sanitised with an allow-list by the server
      item.append(body);
    }
    if (!message.deleted) {
      var menu = liveActions(message);
      if (menu.querySelector(".message-actions").childElementCount) item.append(menu);
    }
    return item;
  }

  // The same menu as on server-rendered messages: Reply, Edit and Delete (one's own), Report.
  function link(template, id, text, hidden) {
    var anchor = document.createElement("a");
    anchor.className = "button button-small button-quiet";
    anchor.href = template.replace(encodeURIComponent("{id}"), id).replace("{id}", id);
    anchor.textContent = text;
    if (hidden) {
      var extra = document.createElement("span");
      extra.className = "visually-hidden";
      extra.textContent = " " + hidden;
      anchor.append(extra);
    }
    return anchor;
  }

  function liveActions(message) {
    var menu = document.createElement("details");
    menu.className = "message-menu";
    menu.dataset.live = "1";
    var summary = document.createElement("summary");
    summary.className = "button button-small button-quiet";
    summary.textContent = labels.labelActions;
    var who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = " — " + fill(labels.labelMessageFrom, message.author ? message.author.display_name : labels.labelErased);
    summary.append(who);
    var actions = document.createElement("div");
    actions.className = "message-actions";
    actions.dataset.live = "1";
    // No reply to a hidden message (the server refuses it too).
    if (labels.replyUrl && !message.hidden) actions.append(link(labels.replyUrl, message.id, labels.labelReply));
    // As on the server: anyone's message but one's own, an erased author's included.
    var mine = isMine(message);
    if (mine && labels.replyUrl && labels.editUrl) {
      if (!message.hidden) actions.append(" ", link(labels.editUrl, message.id, labels.labelEdit));
      var remove = link(labels.deleteUrl, message.id, labels.labelDelete);
      remove.dataset.confirm = labels.labelConfirmDelete;
      remove.dataset.confirmPost = remove.getAttribute("href");
      remove.dataset.confirmYes = labels.labelYesDelete;
      remove.dataset.confirmNo = labels.labelCancel;
      actions.append(" ", remove);
    }
    if (labels.reportUrl && !mine && !message.hidden) {
      actions.append(" ", link(labels.reportUrl, message.id, labels.labelReport, labels.labelThisMessage));
    }
    menu.append(summary, actions);
    return menu;
  }

  function add(message, announce) {
    if (message.thread_id !== threadId || byId(message.id)) return; // a duplicate: drop it
    var empty = document.getElementById("no-messages");
    if (empty) empty.remove();
    if (!visible() && message.seq > readSeq) markUnseen(); // "New messages" above it
    list.append(render(message));
    lastSeq = Math.max(lastSeq, message.seq);
    // Screen readers hear the others' messages only: she knows what she just sent.
    if (announce && message.author && !isMine(message)) {
      live.textContent = fill(labels.labelNew, message.author.display_name);
    }
    seen();
  }

  // --- the first unread message, and the read marker -------------------------------------
  function visible() { return document.visibilityState !== "hidden"; }
  var readSeq = lastSeq; // the page view marked everything it showed as read
  var readTimer = null;
  var READ_EVERY = 5000; // at most one thread:read per 5 seconds (READ_RATE_LIMIT allows 20/min)
  var JOIN_RETRY = 10000; // a join refused as too many (JOIN_RATE_LIMIT) is tried again then

  // The page came back after messages arrived unseen: the marker goes above the first of them.
  var unseenMarked = false;
  function markUnseen() {
    if (unseenMarked) return;
    unseenMarked = true;
    Array.prototype.forEach.call(list.querySelectorAll(".unread-marker"), function (old) { old.remove(); });
    var anchor = document.getElementById("unread");
    if (anchor) anchor.remove(); // the "all read" anchor at the end
    var marker = document.createElement("li");
    marker.className = "unread-marker";
    marker.id = "unread";
    marker.tabIndex = -1;
    marker.textContent = labels.labelUnread;
    list.append(marker);
  }

  // What the person has now seen counts as read; the server is told a little later, once for
  // all that arrived meanwhile (a busy thread does not write at every message).
  function seen() {
    if (!visible() || lastSeq <= readSeq || readTimer) return;
    readTimer = setTimeout(sendRead, READ_EVERY);
  }
  function sendRead() {
    readTimer = null;
    if (!joined || !socket.connected || lastSeq <= readSeq) return;
    var seq = lastSeq;
    socket.emit("thread:read", { thread_id: threadId, seq: seq }, function (ack) {
      if (ack && ack.ok) {
        readSeq = Math.max(readSeq, seq);
        list.dataset.readSeq = readSeq; // the server has it (tests may wait on it)
        return;
      }
      if (ack && ack.error && ack.error.code === "rate_limited") readTimer = setTimeout(sendRead, READ_EVERY * 3);
    });
  }
  document.addEventListener("visibilitychange", function () {
    if (!visible()) { unseenMarked = false; return; }
    seen();
  });


  function update(message) {
    var existing = byId(message.id);
    if (!existing) return;
    // Server-rendered actions (edit, delete, moderate) stay usable: keep them. Actions this
    // script made are made again, from the message as it is now (hidden: no Report).
    var actions = existing.querySelector(".message-menu:not([data-live])");
    var fresh = render(message);
    var rendered = fresh.querySelector(".message-menu");
    if (actions && message.deleted) actions = null;
    if (actions && message.hidden) {
      var reply = actions.querySelector('a[href*="reply_to="]');
      if (reply) reply.remove();
    }
    if (actions && rendered) rendered.replaceWith(actions);
    else if (actions) fresh.append(actions);
    existing.replaceWith(fresh);
  }

  function join() {
    joined = false;
    delete list.dataset.joined;
    // A page in the background does not read what it is sent: thread:read follows once shown.
    var reading = visible();
    socket.emit("thread:join", { thread_id: threadId, after_seq: lastSeq, read: reading }, function (ack) {
      if (!ack || !ack.ok) {
        // Slowed down (JOIN_RATE_LIMIT): try again a little later, from where it stopped.
        if (ack && ack.error && ack.error.code === "rate_limited") setTimeout(join, JOIN_RETRY);
        return;
      }
      ack.messages.forEach(function (m) { add(m, false); });
      if (reading && ack.messages.length) readSeq = Math.max(readSeq, ack.messages[ack.messages.length - 1].seq);
      if (ack.more) return join(); // more than one page missed: keep going
      joined = true;
      list.dataset.joined = "1"; // live from here on (tests and styles may rely on it)
      var waiting = pending;
      pending = [];
      waiting.forEach(function (m) { add(m, true); });
      seen(); // what arrived while the page was in the background, now shown
      flush(); // what was written offline leaves now
    });
  }

  // --- drafts and the offline queue (localStorage; a private window may refuse it) ---------
  var draftKey = "terreau:draft:" + threadId;
  var queueKey = "terreau:queue:" + threadId;
  function store(key, value) {
    try {
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    } catch (e) { /* storage refused: the page still works, the draft is just not kept */ }
  }
  function read(key) {
    try { return localStorage.getItem(key); } catch (e) { return null; }
  }
  function loadQueue() {
    try { return JSON.parse(read(queueKey) || "[]"); } catch (e) { return []; }
  }
  function saveQueue(queue) { store(queueKey, queue.length ? JSON.stringify(queue) : null); }
  function newClientId() {
    return (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now()) + Math.random();
  }

  function showQueued(entry) {
    if (list.querySelector('[data-client-id="' + entry.client_id + '"]')) return;
    var item = document.createElement("li");
    item.className = "message is-queued";
    item.dataset.clientId = entry.client_id;
    var body = document.createElement("p");
    body.className = "message-body";
    body.textContent = entry.body;
    var state = document.createElement("p");
    state.className = "message-queued";
    state.textContent = notice ? notice.dataset.labelQueued : "";
    item.append(body, state);
    var empty = document.getElementById("no-messages");
    if (empty) empty.remove();
    list.append(item);
  }

  var flushing = false;
  function flush() {
    if (flushing || !joined || !online()) return;
    var queue = loadQueue();
    if (!queue.length) return showState();
    flushing = true;
    var entry = queue[0];
    socket.emit("message:send", entry, function (ack) {
      flushing = false;
      if (!ack || !ack.ok) {
        // Refused (too long, no longer allowed…): show why, keep the text in the box.
        if (ack && ack.error && error) { error.textContent = ackText(ack); error.hidden = false; }
        if (ack && ack.error && ack.error.code !== "rate_limited") {
          saveQueue(loadQueue().filter(function (e) { return e.client_id !== entry.client_id; }));
          var refused = list.querySelector('[data-client-id="' + entry.client_id + '"]');
          if (refused) refused.remove();
          if (textarea && !textarea.value) textarea.value = entry.body;
        }
        return showState();
      }
      saveQueue(loadQueue().filter(function (e) { return e.client_id !== entry.client_id; }));
      var placeholder = list.querySelector('[data-client-id="' + entry.client_id + '"]');
      if (placeholder) placeholder.remove();
      readSeq = Math.max(readSeq, ack.message.seq); // posting moved her marker there
      if (ack.message.seq <= lastSeq + 1) add(ack.message, false);
      showState();
      flush(); // the next one, in order
    });
  }

  var notice = document.getElementById("thread-offline");
  function online() { return socket.connected && navigator.onLine !== false; }
  function showState() {
    if (!notice) return;
    var queued = loadQueue().length;
    notice.hidden = online() && !queued;
    notice.textContent = online() ? (queued ? notice.dataset.labelQueued : "") : notice.dataset.labelOffline;
    list.dataset.online = online() ? "1" : "0";
  }

  var everConnected = false;
  function connected() { everConnected = true; join(); showState(); }
  socket.on("connect", connected); // first connection and every reconnection
  if (socket.connected) { connected(); } // the bell's script may have connected it already
  socket.on("disconnect", function () { joined = false; delete list.dataset.joined; showState(); });
  socket.on("connect_error", showState);
  window.addEventListener("offline", showState);
  window.addEventListener("online", function () { showState(); flush(); });
  socket.on("message:new", function (message) {
    if (!joined) return pending.push(message);
    if (message.seq > lastSeq + 1) return join(); // a gap: catch up by seq first
    add(message, true);
  });
  socket.on("message:updated", update);
  // A right ended (left the community, no longer gardener, the community turned on-request):
  // the server took this socket out of the room; join again, and the right is checked again.
  socket.on("rooms:revoked", function (data) {
    if ((data.rooms || []).indexOf("thread:" + threadId) !== -1) join();
  });
  socket.on("typing", function (data) {
    if (data.thread_id !== threadId) return;
    typingLine.textContent = fill(labels.labelTyping, data.member.display_name);
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { typingLine.textContent = ""; }, 4000);
  });

  if (!form) return;
  var textarea = form.querySelector("textarea");
  var clientId = form.querySelector('input[name="client_id"]');
  var replyTo = form.querySelector('input[name="reply_to"]');
  var error = document.getElementById("message-form-error");

  loadQueue().forEach(showQueued);
  showState();
  if (!textarea.value && read(draftKey)) textarea.value = read(draftKey);

  textarea.addEventListener("input", function () {
    store(draftKey, textarea.value || null);
    var now = Date.now();
    if (socket.connected && now - lastTypingSent > 3000) {
      lastTypingSent = now;
      socket.emit("typing", { thread_id: threadId }, function () {});
    }
  });

  // The reply is sent or taken back: the form answers nothing, its hint goes (and the field
  // no longer points at it), and the address no longer carries reply_to (a reload would
  // answer again).
  function stopReplying() {
    if (replyTo) replyTo.value = "";
    var hint = document.getElementById("replying");
    if (hint) hint.remove();
    var described = (textarea.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
      return id && id !== "reply-hint";
    });
    if (described.length) textarea.setAttribute("aria-describedby", described.join(" "));
    else textarea.removeAttribute("aria-describedby");
    if (window.URL && window.history && history.replaceState) {
      var address = new URL(location.href);
      if (address.searchParams.has("reply_to")) {
        address.searchParams.delete("reply_to");
        history.replaceState(history.state, "", address.pathname + address.search + address.hash);
      }
    }
  }
  function onCancelReply(event) {
    event.preventDefault(); // in place: what she has written stays
    stopReplying();
    textarea.focus();
  }
  var cancelReply = document.getElementById("reply-cancel");
  if (cancelReply) cancelReply.addEventListener("click", onCancelReply);

  // "Répondre" in place: the same hint and "Ne plus répondre" as the server writes, what she
  // has written stays, and the address carries reply_to (a reload answers the same message,
  // as the link does without JavaScript).
  function startReplying(item) {
    stopReplying();
    replyTo.value = item.dataset.messageId;
    var author = item.querySelector(".message-author");
    var box = document.createElement("div");
    box.className = "reply-hint";
    box.id = "replying";
    var hint = document.createElement("p");
    hint.className = "hint";
    hint.id = "reply-hint";
    hint.textContent = !author || author.hasAttribute("data-erased")
      ? form.dataset.labelReplyingErased
      : fill(form.dataset.labelReplying, author.textContent);
    var cancel = document.createElement("a");
    cancel.className = "button button-small button-quiet";
    cancel.id = "reply-cancel";
    cancel.href = form.dataset.cancelUrl;
    cancel.textContent = form.dataset.labelStopReplying;
    cancel.addEventListener("click", onCancelReply);
    box.append(hint, cancel);
    var first = Array.prototype.find.call(form.children, function (child) {
      return !(child.tagName === "INPUT" && child.type === "hidden");
    });
    form.insertBefore(box, first || null);
    var described = (textarea.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    textarea.setAttribute("aria-describedby", described.concat("reply-hint").join(" "));
    if (window.URL && window.history && history.replaceState) {
      var address = new URL(location.href);
      address.searchParams.set("reply_to", item.dataset.messageId);
      history.replaceState(history.state, "", address.pathname + address.search + "#message-form");
    }
    textarea.focus();
  }
  if (replyTo) list.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest('a[href*="reply_to="]') : null;
    var item = link && link.closest(".message[data-message-id]");
    if (!item || event.ctrlKey || event.metaKey || event.shiftKey) return; // a new tab: the link
    event.preventDefault();
    var menu = link.closest("details");
    if (menu) menu.open = false;
    startReplying(item);
  });

  function clearForm() {
    textarea.value = "";
    store(draftKey, null);
    stopReplying();
    // A new id for the next message; a resend of this one would return the stored message.
    clientId.value = newClientId();
  }

  form.addEventListener("submit", function (event) {
    if (!textarea.value.trim()) return; // the plain form says what is missing
    var payload = { thread_id: threadId, body: textarea.value, client_id: clientId.value };
    if (replyTo && replyTo.value) payload.reply_to = Number(replyTo.value);
    if (navigator.onLine === false || (!socket.connected && everConnected)) {
      // No network: never post the plain form into it. Keep the message and send it later.
      event.preventDefault();
      var queue = loadQueue();
      queue.push(payload);
      saveQueue(queue);
      showQueued(payload);
      clearForm();
      showState();
      textarea.focus();
      return;
    }
    if (!socket.connected) return; // the socket never connected (a proxy?): the plain form
    event.preventDefault();
    socket.emit("message:send", payload, function (ack) {
      if (!ack || !ack.ok) {
        error.textContent = ackText(ack);
        error.hidden = false;
        return;
      }
      error.hidden = true;
      readSeq = Math.max(readSeq, ack.message.seq); // posting moved her marker there
      if (joined && ack.message.seq <= lastSeq + 1) add(ack.message, false);
      clearForm();
      textarea.focus();
    });
  });
})();
