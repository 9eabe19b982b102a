"""A real ioa server for the Python SDK's tests: the repository's build (``npm run build``), on loopback, with a
SQLite file in a temporary directory, started and killed (-9) by the tests."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[3]
MAIN = ROOT / "dist/apps/server/src/main.js"
CLI = ROOT / "dist/libs/client/src/cli/ioa.js"
ADMIN_TOKEN = "python-sdk-admin-token-0123456789abcdef"
NODE = shutil.which("node") or "node"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, **env: str) -> None:
        self.extra_env = env
        if not MAIN.exists():
            raise RuntimeError(f"{MAIN} is missing: run `npm run build` first")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = tempfile.mkdtemp(prefix="ioa-py-")
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        env = {"PATH": os.environ.get("PATH", ""), "IOA_PORT": str(self.port), "IOA_HOST": "127.0.0.1", "IOA_DATA_DIR": self.data_dir,
               "IOA_ADMIN_TOKEN": ADMIN_TOKEN, "IOA_EMBEDDING_MODEL": "none", "IOA_LOG_LEVEL": "warn", "IOA_HEARTBEAT_MS": "100", **self.extra_env}
        self.proc = subprocess.Popen([NODE, str(MAIN)], env=env, stdout=subprocess.DEVNULL, stderr=sys.stderr)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if requests.get(f"{self.url}/health", timeout=1).ok:
                    return
            except requests.RequestException:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}")
            time.sleep(0.1)
        raise RuntimeError("the server did not become healthy in 30 s")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def admin(self, method: str, path: str, body=None):
        r = requests.request(method, f"{self.url}/v1{path}", json=body, headers={"authorization": f"Bearer {ADMIN_TOKEN}"}, timeout=10)
        assert r.ok, r.text
        return r.json()

    def enrollment(self, max_uses: int = 1) -> str:
        return self.admin("POST", "/auth/enrollments", {"max_uses": max_uses})["token"]


def _serve(**env: str):
    s = Server(**env)
    s.start()
    yield s
    s.kill()
    shutil.rmtree(s.data_dir, ignore_errors=True)


@pytest.fixture
def server():
    yield from _serve()


@pytest.fixture
def short_token_server():
    """Access tokens live 8 s: the server warns a socket at half their life, and closes it 2 s after expiry."""
    yield from _serve(IOA_ACCESS_TOKEN_TTL_S="8", IOA_SOCKET_AUTH_GRACE_S="2")


def until(what: str, check, timeout_s: float = 20):
    """Polls ``check`` until it returns something truthy; fails naming ``what`` after ``timeout_s``."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")
