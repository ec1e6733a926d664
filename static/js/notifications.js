// Notifications: the bell counts and the list grows live when the Socket.IO client is there.
// Without JavaScript (or without a socket) the page works the same, a reload shows news.
(function () {
  "use strict";
  if (typeof window.terreauSocket !== "function") { return; }
  var socket = window.terreauSocket();
  var bells = document.querySelectorAll("[data-notifications-count]");
  var list = document.querySelector("[data-notifications-list]");
  var live = document.querySelector("[data-notifications-live]");

  // The words after the count ("notification non lue"), in the page's language: both forms
  // come with the page, the language's own rule chooses (French: 0 and 1 are singular).
  var plurals = window.Intl && Intl.PluralRules
    ? new Intl.PluralRules(document.documentElement.lang || "fr") : null;

  function setCount(count) {
    bells.forEach(function (badge) {
      badge.firstChild.nodeValue = String(count);
      badge.hidden = count === 0;
      var words = badge.querySelector("[data-plural-one]");
      if (words && plurals) {
        var one = plurals.select(count) === "one";
        words.textContent = " " + (one ? words.dataset.pluralOne : words.dataset.pluralOther);
      }
    });
  }

  socket.on("connect", function () {
    socket.emit("notifications:subscribe", {}, function (ack) {
      if (ack && ack.ok) {
        setCount(ack.unread_count);
        document.documentElement.setAttribute("data-notifications-live", "");
      }
    });
  });

  // What she was told about changed (a message hidden, shown again or deleted): the count only.
  socket.on("notification:count", function (n) {
    setCount(n.unread_count);
  });

  socket.on("notification:new", function (n) {
    setCount(n.unread_count);
    if (live) { live.textContent = n.text; }
    if (!list) { return; }
    var empty = list.querySelector(".notification-empty");
    if (empty) { empty.remove(); }
    var item = document.createElement("li");
    item.className = "notification notification-unread";
    item.id = "notification-" + n.id;
    var text = document.createElement("p");
    text.className = "notification-text";
    if (n.url) {
      var link = document.createElement("a");
      link.href = n.url;
      link.textContent = n.text;
      text.appendChild(link);
    } else {
      text.textContent = n.text;
    }
    item.appendChild(text);
    list.insertBefore(item, list.firstChild);
  });
})();
