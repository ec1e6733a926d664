"""A bare python-socketio broadcast server, no database: the baseline for bench/fanout.py."""

from gevent import monkey

monkey.patch_all()

import socketio  # noqa: E402

sio = socketio.Server(async_mode="gevent", cors_allowed_origins="*")
app = socketio.WSGIApp(sio)


@sio.on("thread:join")
def join(sid, data):  # type: ignore[no-untyped-def]
    sio.enter_room(sid, "room")
    return {"ok": True, "thread_id": 1, "last_seq": 0, "messages": [], "more": False}


@sio.on("message:send")
def send(sid, data):  # type: ignore[no-untyped-def]
    message = {"id": 0, "client_id": data["client_id"], "body_html": data["body"]}
    sio.emit("message:new", message, to="room")
    return {"ok": True, "message": message}
