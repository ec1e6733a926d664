// Invitation links: copy and share buttons (Web Share API where the browser has it), print.
// Without JavaScript the address stays in a text field to copy by hand, with its QR code and
// its flyer as plain links.
(function () {
  "use strict";

  function copyFromField(field) {
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  document.querySelectorAll("[data-share-url]").forEach(function (box) {
    var url = box.getAttribute("data-share-url");
    var field = box.querySelector("input[readonly]");
    var copy = box.querySelector("[data-copy]");
    var share = box.querySelector("[data-share]");
    var status = box.querySelector("[data-share-status]");

    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }

    if (copy) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        var done = copy.getAttribute("data-done");
        var failed = copy.getAttribute("data-failed");
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(url).then(
            function () { say(done); },
            function () { say(field && copyFromField(field) ? done : failed); }
          );
        } else {
          say(field && copyFromField(field) ? done : failed);
        }
      });
    }
    if (share && typeof navigator.share === "function") {
      share.hidden = false;
      share.addEventListener("click", function () {
        navigator.share({
          title: box.getAttribute("data-share-title") || document.title,
          text: box.getAttribute("data-share-text") || "",
          url: url
        }).catch(function () { /* the person closed the share sheet */ });
      });
    }
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
