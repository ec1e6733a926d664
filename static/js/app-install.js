/* Registers Terreau's service worker (the app shell and the offline page). */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/service-worker.js", { scope: "/" }).catch(function () {
      /* Without a worker the site works as before. */
    });
  });
})();
