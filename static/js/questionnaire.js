// Display conditions, live: a question whose condition is not met is hidden and its inputs
// disabled (so that nothing is sent for it). Without this script every question shows, each
// saying when it applies, and the server leaves out what was not asked.
(function () {
  "use strict";
  var form = document.querySelector(".questionnaire-form");
  if (!form) return;

  // Typing in answers: the oral consent is asked only for answers asked in person.
  var channel = form.querySelector('select[name="channel"]');
  var consent = form.querySelector('input[name="consent"]');
  if (channel && consent) {
    var consentField = consent.closest(".field");
    var showConsent = function () {
      consentField.hidden = channel.value !== "ambassador";
    };
    channel.addEventListener("change", showConsent);
    showConsent();
  }

  var conditional = Array.prototype.slice.call(form.querySelectorAll("[data-condition-question]"));
  if (!conditional.length) return;

  function chosen(questionId) {
    var item = document.getElementById("question-" + questionId);
    if (!item || item.hidden) return null;
    var checked = form.querySelector('input[name="q-' + questionId + '"]:checked');
    return checked ? checked.value : null;
  }

  function update() {
    // In page order: a question's condition is always on an earlier one, so chains settle in
    // one pass.
    conditional.forEach(function (item) {
      var show = chosen(item.dataset.conditionQuestion) === item.dataset.conditionOption;
      item.hidden = !show;
      item.querySelectorAll("input, textarea, select").forEach(function (input) {
        input.disabled = !show;
      });
    });
    form.dataset.conditionsLive = "1";
  }

  form.addEventListener("change", update);
  update();
})();
