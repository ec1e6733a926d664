"""Entry point for `flask --app wsgi …` and for WSGI servers.

Production runs gunicorn with the gevent worker: `gunicorn_app.py` patches first, then
imports this module.
"""

from community import create_app
from community.extensions import socketio

app = create_app()

if __name__ == "__main__":
    import os

    from community.core.devserver import RequestHandler

    socketio.run(
        app,
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "5000")),
        allow_unsafe_werkzeug=True,
        request_handler=RequestHandler,  # closes a connection once its WebSocket ends
    )
