// Terreau: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // A refused form: focus its error summary (it names and links each field), else the first
  // field in error, so keyboard and screen-reader users land on what to correct.
  var summary = document.querySelector(".error-summary");
  var firstInvalid = document.querySelector("[aria-invalid='true']");
  if (summary) { summary.focus(); } else if (firstInvalid) { firstInvalid.focus(); }
  // A summary's link puts the cursor in its field, its label in view.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    var label = document.querySelector("label[for='" + target.id + "']");
    (label || target).scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  });

  // A link to a confirmation page (`data-confirm-post`) asks in a dialog instead, and posts
  // from there: one question, the same answer as the page without JavaScript.
  var csrf = document.querySelector('meta[name="csrf-token"]');
  function confirmDialog(link) {
    var dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    var text = document.createElement("p");
    text.id = "confirm-dialog-text";
    text.textContent = link.dataset.confirm;
    dialog.setAttribute("aria-labelledby", text.id);
    var form = document.createElement("form");
    form.method = "post";
    form.action = link.dataset.confirmPost;
    form.className = "actions";
    var token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrf_token";
    token.value = csrf ? csrf.content : "";
    var yes = document.createElement("button");
    yes.type = "submit";
    yes.className = "button button-danger";
    yes.textContent = link.dataset.confirmYes;
    var no = document.createElement("button");
    no.type = "button";
    no.className = "button button-quiet";
    no.textContent = link.dataset.confirmNo;
    no.addEventListener("click", function () { dialog.close(); });
    form.append(token, yes, " ", no);
    dialog.append(text, form);
    dialog.addEventListener("close", function () { dialog.remove(); link.focus(); });
    document.body.append(dialog);
    dialog.showModal();
    no.focus();
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-confirm-post]");
    if (!link || typeof HTMLDialogElement === "undefined" || !csrf) return;
    event.preventDefault();
    confirmDialog(link);
  });

  // Fields that only one choice needs (`data-shown-when="action=suspend"`): shown, and sent,
  // only while that choice is checked. Without this file they show under their own title.
  document.querySelectorAll("[data-shown-when]").forEach(function (group) {
    var rule = group.dataset.shownWhen.split("=");
    var form = group.closest("form");
    if (!form || rule.length !== 2) return;
    function update() {
      var chosen = form.querySelector("input[name='" + rule[0] + "']:checked");
      var shown = !!chosen && chosen.value === rule[1];
      group.hidden = !shown;
      group.disabled = !shown;
    }
    form.addEventListener("change", function (event) {
      if (event.target.name === rule[0]) update();
    });
    update();
  });

  // The menu floats over the page: once the focus moves on to something outside it (Tab past
  // its last link), it closes, or it would hide what the focus reached; Escape closes it and
  // gives the focus back to "Menu". A tap on nothing in particular moves no focus (Safari
  // does not focus a tapped link either): that changes nothing, so its links keep working.
  document.querySelectorAll("details.main-menu").forEach(function (menu) {
    menu.addEventListener("focusout", function (event) {
      if (menu.open && event.relatedTarget && !menu.contains(event.relatedTarget)) {
        menu.open = false;
      }
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !menu.open) return;
      menu.open = false;
      menu.querySelector("summary").focus();
    });
  });

  // A jump link ("Écrire") also puts the cursor in the field it leads to.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-focus]");
    if (!link) return;
    var target = document.getElementById(link.dataset.focus);
    if (target) { event.preventDefault(); target.focus(); target.scrollIntoView({ block: "center" }); }
  });
})();
