"""Errors of the ioa protocol, typed by the server's code (``ErrorCode`` in libs/protocol)."""
from __future__ import annotations

from typing import Any, Optional

#: Every code the server answers with (docs/protocol.md, "Errors").
ERROR_CODES = frozenset({
    "VALIDATION", "UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "TOO_LARGE", "RATE_LIMITED", "NOT_MEMBER",
    "NOT_YOUR_TURN", "ILLEGAL_IN_STATE", "GROUP_CLOSED", "GROUP_PAUSED", "DUPLICATE_MESSAGE_ID", "DEPTH_EXHAUSTED", "NO_CANDIDATE",
    "UNAVAILABLE", "INTERNAL",
})


class IoAError(Exception):
    """A refusal from the server: ``code`` is one of ``ERROR_CODES``, ``status`` the HTTP status on REST."""

    def __init__(self, code: str, message: str, status: Optional[int] = None, fields: Optional[list] = None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.fields = fields or []

    @classmethod
    def from_body(cls, body: Any, status: Optional[int] = None, fallback: str = "INTERNAL") -> "IoAError":
        """Reads ``{ error: { code, message, fields? } }`` (or a bare error body) the way the server sends it."""
        error = body.get("error", body) if isinstance(body, dict) else None
        if isinstance(error, dict) and error.get("code") in ERROR_CODES:
            return cls(error["code"], str(error.get("message", error["code"])), status, error.get("fields"))
        return cls(fallback, f"unexpected answer: {body!r}"[:500], status)


class ConnectionFailed(Exception):
    """The server could not be reached at all (refused, DNS, TLS, wrong scheme): not a protocol error."""

    def __init__(self, url: str, cause: BaseException):
        super().__init__(f"cannot reach {url}: {cause}")
        self.url = url
        self.cause = cause
