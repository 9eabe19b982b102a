"""One agent's connection to an ioa server: the ``ioa/1`` socket and REST, with credentials kept fresh."""
from __future__ import annotations

import base64
import itertools
import json
import logging
import queue
import threading
import time
import uuid
from typing import Any, Callable, Dict, List, Optional

import engineio
import socketio

from .errors import ConnectionFailed, IoAError
from .rest import RestClient

log = logging.getLogger("ioa_client")

#: Server events a handler can be registered for (docs/protocol.md, "Server events"), plus ``reconnect``.
SERVER_EVENTS = ("message", "turn", "task", "goal", "goal_update", "goal_changed", "invite", "group_state", "group_turn", "member_presence", "replayed", "auth_expiring",
                 "rollback", "group_pause")

Credentials = Dict[str, str]


class _InOrderEngineIO(engineio.Client):
    """Engine.IO hands each packet to a new thread by default, so events could overtake each other: here they are
    read in order on the read loop, and the client queues them for one dispatcher thread."""

    def _trigger_event(self, event, *args, **kwargs):
        if event == "message":
            kwargs["run_async"] = False
        return super()._trigger_event(event, *args, **kwargs)


class _Socket(socketio.Client):
    def _engineio_client_class(self):
        return _InOrderEngineIO


def agent_id_of(token: str) -> str:
    """The agent id (``sub``) in an access token, read without verifying it (the server does that)."""
    try:
        body = token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))["sub"]
    except (IndexError, ValueError, KeyError) as e:
        raise IoAError("UNAUTHORIZED", "not an agent access token") from e


class IoAClient:
    """An agent's client: call :meth:`connect`, add handlers with :meth:`on`, subscribe to groups, send messages.

    Events are handled one at a time, in the order the server sent them, on one dispatcher thread; handlers added
    before :meth:`connect` returns see what the server sends at once (the goals, invites, turns and tasks an agent owes).

    >>> client = IoAClient.connect("http://localhost:7788", enrollment={"token": enrol_token, "card": card},
    ...                            on_credentials=save)
    >>> client.on("turn", lambda t: print(t["group_id"], t["holders"]))
    """

    def __init__(self, url: str, credentials: Credentials, on_credentials: Optional[Callable[[Credentials], None]] = None,
                 ack_timeout_s: float = 10, send_attempts: int = 5, paused_recheck_s: float = 30):
        self.url = url.rstrip("/")
        self._creds = dict(credentials)
        self._on_credentials = on_credentials
        self._ack_timeout_s = ack_timeout_s
        self._attempts = max(1, send_attempts)
        self._paused_recheck_s = paused_recheck_s
        #: Per paused group, set when its resume (``group_pause`` with ``paused: false``) arrives.
        self._resumed: Dict[str, threading.Event] = {}
        self.rest = RestClient(self.url, token=lambda: self._creds["token"], refresh=self.refresh_tokens)
        self._handlers: Dict[str, List[Callable[..., Any]]] = {}
        self._last_seq: Dict[str, int] = {}
        self._subscribed: set = set()
        self._refresh_lock = threading.Lock()
        self._events: "queue.Queue[Optional[tuple]]" = queue.Queue()
        self._connected = threading.Event()
        #: The first handshake's outcome came (connected, or refused with `_connect_error`).
        self._settled = threading.Event()
        self._connect_error: Optional[IoAError] = None
        self._first = True
        self._closed = False
        self._early: Dict[str, List[tuple]] = {}
        # Acks awaited, each an event and the box its answer lands in: a disconnection wakes them all at once (empty
        # box), so a call resends after the reconnection instead of waiting out its timeout on a dead socket.
        self._pending: Dict[int, tuple] = {}
        self._pending_lock = threading.Lock()
        self._call_ids = itertools.count()
        # Reconnection is this client's own (python-socketio 5.7 does not reconnect when the server closes the
        # socket, and would retry a refused token forever): see `_reconnect`.
        self._sio = _Socket(reconnection=False)
        self._sio.on("connect", self._on_connect)
        self._sio.on("disconnect", self._on_disconnect)
        self._sio.on("connect_error", self._on_connect_error)
        for event in SERVER_EVENTS:
            if event == "auth_expiring":
                # Not behind slow handlers in the queue: the socket is closed if the new token comes too late.
                self._sio.on(event, lambda *args: threading.Thread(target=self._renew, daemon=True).start())
            elif event in ("group_pause", "group_state"):
                # Straight from the socket: a send waiting for the resume may be running on the dispatcher thread.
                self._sio.on(event, lambda *args, _e=event: (self._on_pause(*args), self._events.put((_e, args))))
            else:
                self._sio.on(event, lambda *args, _e=event: self._events.put((_e, args)))
        self._dispatcher = threading.Thread(target=self._dispatch_loop, name="ioa-dispatch", daemon=True)
        self._dispatcher.start()

    @classmethod
    def connect(cls, url: str, token: Optional[str] = None, refresh_token: Optional[str] = None,
                enrollment: Optional[Dict[str, Any]] = None, on_credentials: Optional[Callable[[Credentials], None]] = None,
                handlers: Optional[Dict[str, Callable[..., Any]]] = None, **options: Any) -> "IoAClient":
        """Connects with saved credentials (``token``, ``refresh_token``), or enrols first with an admin's enrollment
        token and a card (``enrollment={"token": ..., "card": {...}}``); ``on_credentials`` gets every new pair."""
        if token:
            creds = {"agent_id": agent_id_of(token), "token": token, "refresh_token": refresh_token or ""}
        elif enrollment:
            r = RestClient(url).enroll(enrollment["token"], enrollment["card"])
            creds = {"agent_id": r["agent"]["id"], "token": r["token"], "refresh_token": r["refresh_token"], "expires_at": r["expires_at"]}
            if on_credentials:
                on_credentials(dict(creds))
        else:
            raise IoAError("UNAUTHORIZED", "connect() needs a token or an enrollment")
        client = cls(url, creds, on_credentials, **options)
        for event, handler in (handlers or {}).items():
            client.on(event, handler)
        try:
            client._open()
        except BaseException:
            client.close()
            raise
        return client

    @property
    def agent_id(self) -> str:
        return self._creds["agent_id"]

    @property
    def credentials(self) -> Credentials:
        return dict(self._creds)

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def on(self, event: str, handler: Callable[..., Any]) -> Callable[[], None]:
        """Adds a handler for a server event (or ``reconnect``); returns a function that removes it. The first handler
        of an event also gets what came before it (the server sends what an agent owes as soon as it connects)."""
        self._handlers.setdefault(event, []).append(handler)
        for args in self._early.pop(event, []):
            self._events.put((event, args))
        return lambda: self._handlers[event].remove(handler)

    def last_seq(self, group_id: str) -> int:
        return self._last_seq.get(group_id, 0)

    def subscribe(self, group_id: str, after_seq: Optional[int] = None) -> Dict[str, Any]:
        """Follows a group: its history after ``after_seq`` (default: what this client has seen) arrives as
        ``message`` events, then ``replayed``, then live messages; resubscribed by itself after a reconnection."""
        if after_seq is not None and after_seq < self.last_seq(group_id):
            self._last_seq[group_id] = after_seq  # asked to replay what it has seen: deliver it again
        ack = self._ack("subscribe", {"group_id": group_id, "after_seq": self.last_seq(group_id) if after_seq is None else after_seq})
        self._subscribed.add(group_id)
        return ack

    def unsubscribe(self, group_id: str) -> None:
        self._subscribed.discard(group_id)
        self._ack("unsubscribe", {"group_id": group_id})

    def send(self, group_id: Optional[str], type: str, payload: Dict[str, Any], message_id: Optional[str] = None) -> Dict[str, Any]:
        """Sends a message; the ack is ``{ seq, message_id, ... }``. A message whose ack does not come is sent again
        with the same ``message_id`` (the server answers a resend with the original ack), also across reconnections.
        While an operator has the group paused (``GROUP_PAUSED``) it waits for the resume and is sent again."""
        header = {"protocol": "ioa/1", "message_id": message_id or str(uuid.uuid4()), "type": type}
        if group_id:
            header["group_id"] = group_id
        while True:
            resumed = self._resumed.setdefault(group_id or "", threading.Event())
            resumed.clear()
            try:
                return self._ack("message", {"header": header, "payload": payload}, attempts=self._attempts)
            except IoAError as e:
                if e.code != "GROUP_PAUSED" or self._closed:
                    raise
                # Cleared before the send: a resume that came meanwhile is not missed.
                resumed.wait(self._paused_recheck_s)

    def _on_pause(self, event: Any = None, *_: Any) -> None:
        # A resume, or the group closing, ends a wait for the resume.
        if isinstance(event, dict) and (event.get("paused") is False or event.get("state") == "closed"):
            self._resumed.setdefault(str(event.get("group_id")), threading.Event()).set()

    def discussion(self, group_id: str, content: str, next_speaker: Optional[List[str]] = None) -> Dict[str, Any]:
        """Speaks; ``next_speaker`` empty (the default) hands the turn back to the coordinator."""
        return self.send(group_id, "discussion", {"content": content, "next_speaker": next_speaker or []})

    def form_team(self, payload: Dict[str, Any]) -> Dict[str, Any]:
        """``team_formation``: the ack names the new group (``group_id``) and the candidates invited."""
        return self.send(None, "team_formation", payload)

    def reply_invite(self, invite_id: str, accept: bool, reason: Optional[str] = None) -> Dict[str, Any]:
        body = {"invite_id": invite_id, "accept": accept, **({"reason": reason} if reason else {})}
        return self._ack("invite_reply", body)

    def refresh_tokens(self) -> None:
        """New access and refresh tokens (one refresh at a time); ``on_credentials`` gets them."""
        with self._refresh_lock:
            if not self._creds.get("refresh_token"):
                raise IoAError("UNAUTHORIZED", "the access token expired and there is no refresh token")
            r = RestClient(self.url).refresh(self._creds["refresh_token"])
            self._creds.update(token=r["token"], refresh_token=r["refresh_token"], expires_at=r.get("expires_at", ""))
            if self._on_credentials:
                self._on_credentials(dict(self._creds))

    def close(self) -> None:
        self._closed = True
        for resumed in list(self._resumed.values()):
            resumed.set()  # a send waiting out a pause gives up at once
        self._sio.disconnect()
        self._events.put(None)

    # -- internals ---------------------------------------------------------------------------------------------

    def _open(self, timeout_s: float = 30) -> None:
        for attempt in range(2):
            self._connect_error = None
            self._settled.clear()
            try:
                # wait=False, and wait here for the outcome: a refused handshake then answers at once.
                self._sio.connect(self.url, transports=["websocket"], auth=lambda: {"token": self._creds["token"]}, wait=False)
            except socketio.exceptions.ConnectionError as e:
                raise ConnectionFailed(self.url, e) from None
            if not self._settled.wait(timeout_s):
                self._sio.disconnect()
                raise ConnectionFailed(self.url, TimeoutError(f"no answer to the handshake in {timeout_s} s"))
            error = self._connect_error
            if not error:
                return
            self._sio.disconnect()
            if error.code == "UNAUTHORIZED" and attempt == 0 and self._creds.get("refresh_token"):
                self.refresh_tokens()
                continue
            raise error

    def _on_disconnect(self) -> None:
        self._connected.clear()
        with self._pending_lock:
            for done, _box in self._pending.values():
                done.set()
        if not self._closed and not self._first:
            threading.Thread(target=self._reconnect, name="ioa-reconnect", daemon=True).start()

    def _reconnect(self) -> None:
        """Connects again with backoff until it works or the client is closed; a token refused as expired or revoked
        is refreshed once per refusal, and a refusal that no refresh can cure (FORBIDDEN) ends the attempts."""
        delay = 0.2
        while not self._closed and not self._connected.is_set():
            time.sleep(delay)
            delay = min(delay * 2, 5)
            try:
                self._open(timeout_s=10)
                return
            except IoAError as e:
                if e.code == "FORBIDDEN":
                    log.error("ioa client %s: reconnection refused for good: %s", self.agent_id, e)
                    return
                log.warning("ioa client %s: reconnection refused (%s); retrying", self.agent_id, e)
            except (ConnectionFailed, socketio.exceptions.ConnectionError) as e:
                log.info("ioa client %s: server unreachable (%s); retrying", self.agent_id, e)

    def _on_connect(self) -> None:
        self._connected.set()
        self._settled.set()
        if self._first:
            self._first = False
            return
        # Rooms belong to sockets: after a reconnection, follow the same groups again from the last seq seen.
        self._events.put(("reconnect", ()))

    def _on_connect_error(self, data: Any = None) -> None:
        body = data.get("data", data) if isinstance(data, dict) else None
        message = data.get("message", str(data)) if isinstance(data, dict) else str(data)
        self._connect_error = IoAError.from_body(body) if isinstance(body, dict) and "code" in body else IoAError("UNAVAILABLE", f"handshake refused: {message}")
        self._settled.set()

    def _ack(self, event: str, data: Dict[str, Any], attempts: int = 1) -> Dict[str, Any]:
        last: Optional[BaseException] = None
        for _ in range(attempts):
            if self._closed:
                raise IoAError("UNAVAILABLE", f"{event}: the client is closed")
            if not self._connected.wait(self._ack_timeout_s * 3):
                last = IoAError("UNAVAILABLE", f"{event}: not connected to {self.url}")
                continue
            try:
                ack = self._call(event, data)
            except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError, ConnectionResetError) as e:
                last = e
                continue
            if isinstance(ack, dict) and ack.get("ok") is True:
                return {k: v for k, v in ack.items() if k != "ok"}
            raise IoAError.from_body(ack)
        raise IoAError("UNAVAILABLE", f"{event}: no ack after {attempts} attempt(s) ({last})")

    def _call(self, event: str, data: Dict[str, Any]) -> Any:
        """One emit and its ack; ConnectionResetError when the socket closed before the ack came."""
        done, box = threading.Event(), []
        key = next(self._call_ids)
        with self._pending_lock:
            self._pending[key] = (done, box)
        try:
            # A disconnection between the caller's wait for the connection and the line above woke nobody: look again
            # (the disconnect handler clears `_connected` before it wakes the calls it knows).
            if not self._connected.is_set():
                raise ConnectionResetError(f"{event}: disconnected before the emit")
            self._sio.emit(event, data, callback=lambda *args: (box.append(args[0] if args else None), done.set()))
            if not done.wait(self._ack_timeout_s):
                raise socketio.exceptions.TimeoutError()
            if not box:
                raise ConnectionResetError(f"{event}: disconnected before the ack")
            return box[0]
        finally:
            with self._pending_lock:
                self._pending.pop(key, None)

    def _dispatch_loop(self) -> None:
        while True:
            item = self._events.get()
            if item is None:
                if self._closed:
                    return
                continue
            event, args = item
            if event not in self._handlers and event in ("turn", "task", "goal", "invite"):
                self._early.setdefault(event, []).append(args)  # for the first handler of this event
                continue
            if event == "message" and args and isinstance(args[0], dict):
                header = args[0].get("header", {})
                group, seq = header.get("group_id"), header.get("seq")
                if isinstance(seq, int):
                    if seq <= self.last_seq(group):
                        continue  # a replay overlapping what this client has
                    self._last_seq[group] = seq
            elif event == "reconnect":
                self._resubscribe()
            for handler in list(self._handlers.get(event, [])):
                try:
                    handler(*args)
                except Exception:  # a handler's failure must not stop the others, nor the client
                    log.exception("ioa client %s: %s handler failed", self.agent_id, event)

    def _renew(self) -> None:
        for attempt in range(5):
            try:
                self.refresh_tokens()
                self._ack("auth", {"token": self._creds["token"]})
                return
            except Exception as e:
                log.warning("ioa client %s: renewing the socket's token failed (%s); attempt %d of 5", self.agent_id, e, attempt + 1)
                time.sleep(2 ** attempt)

    def _resubscribe(self) -> None:
        for group in list(self._subscribed):
            try:
                self.subscribe(group)
            except Exception:
                log.exception("ioa client %s: subscribing again to %s failed", self.agent_id, group)
