"""Werkzeug's development server (`python wsgi.py`, the tests' live servers), closing the
connection once a WebSocket ends, as production servers do.

Werkzeug keeps an HTTP/1.1 connection alive after the application returns, even when that
request was a WebSocket: it then reads the client's closing frame as a new request (a 400 in
the log) and never answers it, so every client waits its whole close timeout (3 s for
websocket-client, the Python Socket.IO client's transport) on each disconnect.
"""

from __future__ import annotations

from werkzeug.serving import WSGIRequestHandler


class RequestHandler(WSGIRequestHandler):
    def run_wsgi(self) -> None:
        super().run_wsgi()
        if self.headers.get("Upgrade", "").lower() == "websocket":
            self.close_connection = True
