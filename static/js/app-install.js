/* Registers Terreau's service worker (the app shell and the offline page). Logging out also
   stops this browser's pushes: the next person on a shared phone does not get them. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/service-worker.js", { scope: "/" }).catch(function () {
      /* Without a worker the site works as before. */
    });
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches('form[action$="/auth/logout"]') || form.dataset.pushDone) return;
    if (!("PushManager" in window)) return;
    event.preventDefault();
    form.dataset.pushDone = "1";
    var leave = function () { form.submit(); };
    navigator.serviceWorker.getRegistration("/").then(function (registration) {
      return registration && registration.pushManager.getSubscription();
    }).then(function (subscription) {
      return subscription && subscription.unsubscribe();
    }).then(leave, leave);
  });
})();
