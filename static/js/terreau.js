// Terreau: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Move focus to the first form error so keyboard and screen-reader users land on it.
  var firstInvalid = document.querySelector("[aria-invalid='true']");
  if (firstInvalid) { firstInvalid.focus(); }
})();
