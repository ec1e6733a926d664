// "Receive notifications on this phone": the browser asks for permission only once the
// person taps the switch, never when the page loads. Without JavaScript the switch stays
// hidden and the per-kind choices below still work.
(function () {
  "use strict";
  var row = document.querySelector("[data-push]");
  if (!row) { return; }
  var button = row.querySelector(".push-switch");
  var status = row.querySelector(".push-status");
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = tokenMeta ? tokenMeta.getAttribute("content") : "";

  function say(key) { status.textContent = status.getAttribute("data-" + key); }

  // Already blocked in the browser's settings: said as the page loads, not once she taps.
  function blocked() { return Notification.permission === "denied"; }

  function show(on) {
    button.setAttribute("aria-checked", on ? "true" : "false");
    button.hidden = false;
    say(on ? "on" : (blocked() ? "blocked" : "off"));
  }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say("unsupported");
    return;
  }
  if (blocked()) { say("blocked"); }

  function keyBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    base64 += "===".slice((base64.length + 3) % 4);
    var raw = window.atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  function send(method, body) {
    return fetch(row.getAttribute("data-subscriptions-url"), {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response;
    });
  }

  function turnOn(registration) {
    return Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { throw new Error("denied"); }
      return fetch(row.getAttribute("data-key-url"), { credentials: "same-origin" });
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      return registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(data.public_key)
      });
    }).then(function (subscription) {
      return send("POST", subscription.toJSON());
    }).then(function () { show(true); });
  }

  function turnOff(registration) {
    return registration.pushManager.getSubscription().then(function (subscription) {
      if (!subscription) { return null; }
      var endpoint = subscription.endpoint;
      return subscription.unsubscribe().then(function () {
        return send("DELETE", { endpoint: endpoint });
      });
    }).then(function () { show(false); });
  }

  navigator.serviceWorker.ready.then(function (registration) {
    // Reading the current state asks nothing of the person.
    return registration.pushManager.getSubscription().then(function (subscription) {
      show(Boolean(subscription) && Notification.permission === "granted");
      // Busy, not disabled: a disabled button drops the focus (a keyboard or screen-reader
      // user was thrown back to the page's start), and the answer is said next to it.
      button.addEventListener("click", function () {
        if (button.getAttribute("aria-disabled") === "true") { return; }
        var on = button.getAttribute("aria-checked") === "true";
        button.setAttribute("aria-disabled", "true");
        (on ? turnOff(registration) : turnOn(registration)).catch(function (error) {
          say(error && error.message === "denied" ? "denied" : "failed");
        }).then(function () { button.removeAttribute("aria-disabled"); });
      });
    });
  });
})();
