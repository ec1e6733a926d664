"""The reference: a bare Flask "hello" served by the same gunicorn command as Terreau."""

from gevent import monkey

monkey.patch_all()

from flask import Flask  # noqa: E402

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"
