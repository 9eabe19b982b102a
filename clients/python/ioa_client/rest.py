"""The REST half of the protocol (``/v1``): registration, refresh, groups, goals, agents."""
from __future__ import annotations

import time
from typing import Any, Callable, Dict, Optional
from urllib.parse import quote, urlencode

import requests

from .errors import ConnectionFailed, IoAError


class RestClient:
    """Calls ``/v1`` with the bearer token ``token()`` gives; a ``RATE_LIMITED`` answer is waited out and tried again.

    >>> rest = RestClient("http://localhost:7788", token=lambda: saved["token"])
    >>> group = rest.get_group(group_id)
    """

    def __init__(self, url: str, token: Callable[[], Optional[str]] = lambda: None, refresh: Optional[Callable[[], None]] = None,
                 timeout_s: float = 30, rate_limit_retries: int = 3):
        self.url = url.rstrip("/")
        self._token = token
        self._refresh = refresh
        self._timeout_s = timeout_s
        self._retries = rate_limit_retries
        self._http = requests.Session()

    def enroll(self, enrollment_token: str, card: Dict[str, Any]) -> Dict[str, Any]:
        """Registers an agent with an enrollment token: ``{ agent, token, refresh_token, expires_at }``."""
        return self._call("POST", "/agents", card, bearer=enrollment_token)

    def refresh(self, refresh_token: str) -> Dict[str, Any]:
        """New access and refresh tokens; a refresh token works once (reusing one revokes all of the agent's tokens)."""
        return self._call("POST", "/auth/refresh", {"refresh_token": refresh_token}, bearer="")

    def get_agent(self, agent_id: str) -> Dict[str, Any]:
        return self._call("GET", f"/agents/{quote(agent_id)}")

    def update_card(self, agent_id: str, patch: Dict[str, Any]) -> Dict[str, Any]:
        return self._call("PATCH", f"/agents/{quote(agent_id)}", patch)

    def list_groups(self, limit: int = 100, offset: int = 0) -> Dict[str, Any]:
        return self._call("GET", f"/groups?{urlencode({'limit': limit, 'offset': offset})}")

    def get_group(self, group_id: str) -> Dict[str, Any]:
        return self._call("GET", f"/groups/{quote(group_id)}")

    def messages(self, group_id: str, after_seq: int = 0, limit: int = 100) -> Dict[str, Any]:
        return self._call("GET", f"/groups/{quote(group_id)}/messages?{urlencode({'after_seq': after_seq, 'limit': limit})}")

    def tasks(self, group_id: str) -> list:
        return self._call("GET", f"/groups/{quote(group_id)}/tasks")

    def create_goal(self, body: Dict[str, Any]) -> Dict[str, Any]:
        return self._call("POST", "/goals", body)

    def get_goal(self, goal_id: str) -> Dict[str, Any]:
        return self._call("GET", f"/goals/{quote(goal_id)}")

    def request(self, method: str, path: str, body: Any = None) -> Any:
        """Any route by its path after ``/v1``."""
        return self._call(method, path, body)

    def _call(self, method: str, path: str, body: Any = None, bearer: Optional[str] = None, refreshed: bool = False) -> Any:
        for attempt in range(self._retries + 1):
            token = self._token() if bearer is None else bearer
            headers = {"authorization": f"Bearer {token}"} if token else {}
            try:
                r = self._http.request(method, f"{self.url}/v1{path}", json=body, headers=headers, timeout=self._timeout_s)
            except requests.RequestException as e:
                raise ConnectionFailed(self.url, e) from e
            if r.status_code == 429 and attempt < self._retries:
                time.sleep(min(30.0, float(r.headers.get("retry-after", "1"))))
                continue
            payload = r.json() if r.content else None
            if r.ok:
                return payload
            error = IoAError.from_body(payload, r.status_code)
            if error.code == "UNAUTHORIZED" and bearer is None and self._refresh and not refreshed:
                self._refresh()
                return self._call(method, path, body, bearer, refreshed=True)
            raise error
        raise AssertionError("unreachable")
