"""Production entry point: `gunicorn -k gevent -w 1 gunicorn_app:app`.

gevent must patch the standard library before anything else is imported, or the Redis
client (message queue, rate limits) can hang.
"""

from gevent import monkey

monkey.patch_all()

import os  # noqa: E402

os.environ.setdefault("TERREAU_ENV", "production")
os.environ.setdefault("SOCKETIO_ASYNC_MODE", "gevent")

from wsgi import app  # noqa: E402

__all__ = ["app"]
