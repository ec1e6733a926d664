/* Terreau's service worker: keeps the app shell (styles, scripts, icons, the offline page)
   and nothing else. Pages and API answers always come from the network and are never stored:
   they may hold personal data. Every push shows a notification. */
"use strict";

const VERSION = {{ version|tojson }};
const CACHE = "terreau-shell-" + VERSION;
const SHELL = {{ shell_urls|tojson }};
const OFFLINE = {{ offline_url|tojson }};
const ICON = {{ icon_url|tojson }};
const SHELL_PATHS = new Set(SHELL);

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      // Without cookies and past the HTTP cache: the shell is the same for everyone.
      .then((cache) =>
        cache.addAll(SHELL.map((url) => new Request(url, { credentials: "omit", cache: "reload" })))
      )
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("terreau-") && name !== CACHE)
            .map((name) => caches.delete(name))
        )
      )
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Network first, never stored; the offline page when the network fails.
    event.respondWith(
      fetch(request).catch(() =>
        caches.open(CACHE).then((cache) => cache.match(OFFLINE)).then(
          (response) => response || Response.error()
        )
      )
    );
    return;
  }
  // A fingerprinted URL (?v=<hash>) is the same file as the shell's of this version.
  if (SHELL_PATHS.has(url.pathname) && (url.search === "" || /^\?v=[0-9a-f]+$/.test(url.search))) {
    event.respondWith(
      caches.open(CACHE).then((cache) =>
        cache.match(url.pathname).then((cached) => cached || fetch(request))
      )
    );
  }
  // Anything else (API, uploads, Socket.IO) goes to the network untouched.
});

function sameOriginPath(value) {
  try {
    const url = new URL(value || "/", self.location.origin);
    return url.origin === self.location.origin ? url.pathname + url.search + url.hash : "/";
  } catch (error) {
    return "/";
  }
}

self.addEventListener("push", (event) => {
  // Never a silent push: whatever arrives, a notification is shown.
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = {};
  }
  const title = typeof data.title === "string" && data.title ? data.title : "Terreau";
  const url = sameOriginPath(data.url);
  event.waitUntil(
    self.registration.showNotification(title, {
      icon: ICON,
      badge: ICON,
      lang: "fr",
      data: { url: url },
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(sameOriginPath(event.notification.data && event.notification.data.url),
    self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (client.url === target && "focus" in client) return client.focus();
      }
      return self.clients.openWindow(target);
    })
  );
});
