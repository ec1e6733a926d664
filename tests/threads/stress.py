"""Concurrent senders and listeners over real sockets (used by the live and two-process tests)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import engineio
import socketio


class _InOrderEngineIO(engineio.Client):
    """python-engineio's client hands each incoming message to a new thread: two broadcasts
    received in order could reach the handler out of order. A browser handles them one after
    the other; so does this client (acknowledgements are read by the same loop, so a `call`
    from the test's thread still returns)."""

    def _trigger_event(self, event: str, *args: Any, **kwargs: Any) -> Any:
        if event == "message":
            kwargs["run_async"] = False
        return super()._trigger_event(event, *args, **kwargs)


class InOrderClient(socketio.Client):
    """A Socket.IO client that sees messages in the order they arrive."""

    def _engineio_client_class(self) -> type[engineio.Client]:
        return _InOrderEngineIO


@dataclass
class Listener:
    """A real Socket.IO client in a thread's room, keeping every `message:new` it receives."""

    url: str
    token: str
    thread_id: int
    expected: int
    seqs: list[int] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)
    client: Any = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, after_seq: int = 0) -> dict[str, Any]:
        self.client = InOrderClient(reconnection=False)
        self.client.on("message:new", self._on_new)
        self.client.connect(
            self.url, auth={"token": self.token}, transports=["websocket"], wait_timeout=10
        )
        return self.join(after_seq)

    def join(self, after_seq: int) -> dict[str, Any]:
        """Join (again) with `after_seq`, following `more` until caught up."""
        while True:
            ack = self.client.call(
                "thread:join", {"thread_id": self.thread_id, "after_seq": after_seq}, timeout=30
            )
            assert ack["ok"], ack
            for message in ack["messages"]:
                self._keep(message)
            if not ack["more"]:
                return ack
            after_seq = ack["messages"][-1]["seq"]

    def _on_new(self, message: dict[str, Any]) -> None:
        self._keep(message)

    def _keep(self, message: dict[str, Any]) -> None:
        with self.lock:
            if message["id"] in self.ids:
                return  # a duplicate (join answer and broadcast both carried it)
            self.ids.append(message["id"])
            self.seqs.append(message["seq"])
            if len(self.ids) >= self.expected:
                self.done.set()

    def stop(self) -> None:
        if self.client is not None and self.client.connected:
            self.client.disconnect()


def send_many(
    url: str, token: str, thread_id: int, count: int, prefix: str, errors: list[Any]
) -> None:
    """One member sending `count` messages one after the other, each acknowledged."""
    client = socketio.Client(reconnection=False)
    try:
        client.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=10)
        for n in range(count):
            ack = client.call(
                "message:send",
                {"thread_id": thread_id, "body": f"{prefix} n°{n}", "client_id": f"{prefix}-{n}"},
                timeout=60,
            )
            if not ack.get("ok"):
                errors.append(ack)
    except Exception as error:
        errors.append(repr(error))
    finally:
        client.disconnect()


def run_senders(urls: list[str], tokens: list[str], thread_id: int, count: int) -> list[Any]:
    """Every token sends `count` messages at once, spread over the servers; returns the errors."""
    errors: list[Any] = []
    threads = [
        threading.Thread(
            target=send_many, args=(urls[i % len(urls)], token, thread_id, count, f"s{i}", errors)
        )
        for i, token in enumerate(tokens)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return errors
