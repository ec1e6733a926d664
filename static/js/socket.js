// One Socket.IO connection per page, shared by the bell and the live thread (issue 17).
// Loaded after vendor/socket.io.min.js; without it (or without JavaScript) nothing goes live.
(function () {
  "use strict";
  if (typeof window.io !== "function") { return; }
  var socket = null;
  window.terreauSocket = function () {
    if (!socket) { socket = window.io({ transports: ["websocket"] }); }
    return socket;
  };
})();
