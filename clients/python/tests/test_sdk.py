"""The Python SDK against a real server on loopback: errors, a goal with a mixed team, and a crash mid-task."""
from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import CLI, NODE, until
from ioa_client import Agent, ConnectionFailed, IoAClient, IoAError, pass_turn_back, run_agent


def card(name: str, **extra):
    return {"name": name, "description": f"{name}, an agent of the Python SDK tests", "capabilities": [], **extra}


def test_bad_credentials_give_the_servers_code(server):
    with pytest.raises(IoAError) as refused:
        IoAClient.connect(server.url, enrollment={"token": "not-a-token", "card": card("nobody")})
    assert (refused.value.code, refused.value.status) == ("UNAUTHORIZED", 401)
    # A well-formed token the server did not sign: refused in the socket handshake, with its code.
    forged = ".".join(base64.urlsafe_b64encode(json.dumps(p).encode()).decode().rstrip("=") for p in ({"alg": "HS256"}, {"sub": "x", "role": "agent"})) + ".c2ln"
    with pytest.raises(IoAError) as handshake:
        IoAClient.connect(server.url, token=forged)
    assert handshake.value.code == "UNAUTHORIZED"
    with pytest.raises(ConnectionFailed) as unreachable:
        IoAClient.connect("http://127.0.0.1:1", enrollment={"token": "t", "card": card("nobody")})
    assert "cannot reach http://127.0.0.1:1" in str(unreachable.value)


def test_python_coordinator_and_worker_complete_a_goal_with_a_typescript_agent(server, tmp_path: Path):
    saved = []
    worker = IoAClient.connect(server.url, enrollment={"token": server.enrollment(), "card": card("py-worker")}, on_credentials=saved.append)
    assert saved[0]["agent_id"] == worker.agent_id
    def summarise(task, client, progress):
        progress(0.5, "halfway")
        return f"python did: {task['task_abstract']}"
    run_agent(worker, Agent(card=card("py-worker"), on_turn=pass_turn_back, on_task=summarise, on_invite=lambda invite: (True, "glad to help")))

    # The TypeScript member: a command-line agent run by the ioa CLI from a YAML config.
    config = tmp_path / "ts.yaml"
    config.write_text("\n".join([
        f"url: {server.url}", f"enrollment_token: {server.enrollment()}", "kind: command",
        "card: { name: ts-counter, description: counts words, capabilities: [] }",
        f"command: {{ command: {NODE}, args: ['-e', 'console.log(\"typescript counted \" + process.argv[1].split(/ +/).length)'] }}",
    ]))
    ts = subprocess.Popen([NODE, str(CLI), "agent", "run", "--config", str(config)], stdout=subprocess.PIPE, text=True)
    try:
        assert "connected" in ts.stdout.readline()
        ts_id = until("the TypeScript agent", lambda: next((a["id"] for a in server.admin("GET", "/agents?limit=100")["items"] if a["name"] == "ts-counter"), None))

        def lead_turn(ctx):
            if not ctx.is_coordinator:
                return pass_turn_back(ctx)
            if not ctx.tasks:
                return {"type": "task_assignment", "payload": {"mode": "sync", "tasks": [
                    {"task_desc": "summarise the notes", "task_abstract": "summary", "assignee": [worker.agent_id]},
                    {"task_desc": "count these four words", "task_abstract": "count", "assignee": [ts_id]},
                ]}}
            if all(t["state"] in ("completed", "failed") for t in ctx.tasks):
                return {"type": "conclusion", "payload": {"summary": " | ".join(t["result"]["task_conclusion"] for t in ctx.tasks)}}
            return None

        lead = IoAClient.connect(server.url, enrollment={"token": server.enrollment(), "card": card("py-lead")})
        formed = []
        run = run_agent(lead, Agent(card=card("py-lead"), on_turn=lead_turn, on_goal=lambda g: {"team_members": [worker.agent_id, ts_id]},
                                    on_team_formed=lambda goal, team, ack: formed.append(ack)))
        assert run.ready.wait(10) and server.admin("GET", f"/agents/{lead.agent_id}")["coordinates"]
        goal = server.admin("POST", "/goals", {"goal": "summarise and count", "coordinator": lead.agent_id})
        done = until("the goal to settle", lambda: (g := server.admin("GET", f"/goals/{goal['id']}"))["status"] in ("completed", "failed") and g, 60)
        assert done["status"] == "completed", done
        assert done["result"].strip() == "python did: summary | typescript counted 4"
        until("the lead to leave the closed group", lambda: done["root_group_id"] not in run.groups)
        assert [a["group_id"] for a in formed] == [done["root_group_id"]]
        decision = server.admin("GET", f"/teams/{done['root_group_id']}/decision")
        assert decision["needs"][0]["invites"][0]["reason"] == "glad to help"
        history = server.admin("GET", f"/groups/{done['root_group_id']}/messages?limit=500")["items"]
        assert [m["payload"]["note"] for m in history if m["header"]["type"] == "task_progress" and m["header"]["sender"] == worker.agent_id] == ["halfway"]
    finally:
        ts.terminate()
        ts.wait()


def test_a_python_worker_finishes_its_task_across_a_kill_9_and_restart(server):
    release = threading.Event()
    started = threading.Event()

    def slow(task, client):
        started.set()
        release.wait(60)
        return {"status": "completed", "task_conclusion": "survived the crash", "task_abstract": "survived"}

    worker = IoAClient.connect(server.url, enrollment={"token": server.enrollment(), "card": card("py-survivor")})
    run_agent(worker, Agent(card=card("py-survivor"), on_turn=pass_turn_back, on_task=slow))
    lead = IoAClient.connect(server.url, enrollment={"token": server.enrollment(), "card": card("py-boss")})
    group = server.admin("POST", "/groups", {"goal": "outlive a crash", "coordinator": lead.agent_id, "members": [worker.agent_id]})["id"]
    ack = lead.send(group, "task_assignment", {"mode": "async", "tasks": [{"task_desc": "work slowly", "task_abstract": "slow", "assignee": [worker.agent_id]}]})
    assert started.wait(20)

    server.kill()
    server.start()
    release.set()
    task = until("the task to complete after the restart", lambda: next((t for t in server.admin("GET", f"/groups/{group}/tasks") if t["id"] == ack["task_ids"][0] and t["state"] == "completed"), None), 60)
    assert task["result"]["task_conclusion"] == "survived the crash"
    seqs = [m["header"]["seq"] for m in server.admin("GET", f"/groups/{group}/messages?limit=500")["items"]]
    assert seqs == list(range(1, len(seqs) + 1))


def test_a_message_in_flight_when_the_server_dies_is_sent_again_at_once_after_the_restart(server):
    # An ack timeout far longer than the test may take: a message sent into a frozen server must not wait it out
    # when the socket dies, but be sent again (same message_id) as soon as the client is connected again.
    lead = IoAClient.connect(server.url, enrollment={"token": server.enrollment(), "card": card("py-lead")}, ack_timeout_s=120)
    member = IoAClient.connect(server.url, enrollment={"token": server.enrollment(), "card": card("py-member")})
    group = server.admin("POST", "/groups", {"goal": "speak into a frozen server", "coordinator": lead.agent_id, "members": [member.agent_id]})["id"]
    server.proc.send_signal(signal.SIGSTOP)
    result = {}
    sender = threading.Thread(target=lambda: result.update(ack=lead.discussion(group, "are you there?", [])), daemon=True)
    sent_at = time.monotonic()
    sender.start()
    until("the message to await its ack", lambda: lead._pending or None, 10)  # the client's own table of acks awaited
    server.kill()
    server.start()
    sender.join(60)
    assert "seq" in result.get("ack", {}), result
    assert time.monotonic() - sent_at < 60
    said = [m for m in server.admin("GET", f"/groups/{group}/messages?limit=500")["items"] if m["header"]["type"] == "discussion"]
    assert [m["payload"]["content"] for m in said] == ["are you there?"]
    lead.close()
    member.close()


def test_the_example_worker_enrols_saves_its_credentials_and_counts_words(server, tmp_path: Path):
    env = {**os.environ, "IOA_URL": server.url, "IOA_ENROLLMENT": server.enrollment(), "IOA_CREDENTIALS": str(tmp_path / "creds.json"),
           "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    example = Path(__file__).resolve().parents[1] / "examples/worker.py"
    worker = subprocess.Popen([sys.executable, str(example)], env=env, stdout=subprocess.PIPE, text=True)
    try:
        line = worker.stdout.readline()
        assert "connected" in line, line
        worker_id = line.split("(")[1].split(")")[0]
        assert json.loads((tmp_path / "creds.json").read_text())["agent_id"] == worker_id
        lead = IoAClient.connect(server.url, enrollment={"token": server.enrollment(), "card": card("py-asker")})
        group = server.admin("POST", "/groups", {"goal": "count", "coordinator": lead.agent_id, "members": [worker_id]})["id"]
        [task_id] = lead.send(group, "task_assignment", {"mode": "async", "tasks": [{"task_desc": "one two three", "task_abstract": "count", "assignee": [worker_id]}]})["task_ids"]
        task = until("the count", lambda: next((t for t in server.admin("GET", f"/groups/{group}/tasks") if t["id"] == task_id and t["state"] == "completed"), None))
        assert task["result"]["task_conclusion"] == "3 words"
    finally:
        worker.terminate()
        worker.wait()


def test_renews_its_token_on_the_open_socket_and_reconnects_after_the_server_closes_it(short_token_server):
    server = short_token_server
    saved = []
    client = IoAClient.connect(server.url, enrollment={"token": server.enrollment(), "card": card("py-long-lived")}, on_credentials=saved.append)
    try:
        group = server.admin("POST", "/groups", {"goal": "stay", "coordinator": client.agent_id, "members": [client.agent_id]})["id"]
        client.subscribe(group)
        first = client.credentials["token"]
        until("the socket's token to be renewed (auth_expiring at half its life)", lambda: client.credentials["token"] != first, 20)
        # Past the first token's expiry and grace, the socket is still the same one, on the new token.
        until("the first token to lapse", lambda: time.time() > json.loads(base64.urlsafe_b64decode(first.split(".")[1] + "=="))["exp"] + 3, 20)
        assert client.connected
        client.discussion(group, "still here", [client.agent_id])

        # Revoking the token in use closes the socket at once: the client refreshes and connects again by itself.
        jti = json.loads(base64.urlsafe_b64decode(client.credentials["token"].split(".")[1] + "=="))["jti"]
        server.admin("POST", f"/auth/tokens/{jti}/revoke")
        until("the socket to close", lambda: not client.connected, 10)
        until("the client to reconnect", lambda: client.connected, 20)
        client.discussion(group, "back again", [client.agent_id])
        said = [m["payload"].get("content") for m in server.admin("GET", f"/groups/{group}/messages")["items"] if m["header"]["type"] == "discussion"]
        assert said == ["still here", "back again"]
        assert saved[-1]["token"] == client.credentials["token"]
    finally:
        client.close()


def test_a_message_refused_while_an_operator_paused_the_group_is_sent_again_after_the_resume(server):
    coord = IoAClient.connect(server.url, enrollment={"token": server.enrollment(), "card": card("py-paused")})
    try:
        group = server.admin("POST", "/groups", {"coordinator": coord.agent_id, "goal": "wait for the operator", "members": [coord.agent_id]})["id"]
        server.admin("POST", f"/groups/{group}/pause", {"note": "hold on"})
        answers, ack = [], coord._ack

        def spy(*args, **kwargs):
            try:
                answer = ack(*args, **kwargs)
            except IoAError as e:
                answers.append(e.code)
                raise
            answers.append("ok")
            return answer
        coord._ack = spy
        box = []
        sender = threading.Thread(target=lambda: box.append(coord.discussion(group, "after the pause")))
        sender.start()
        # Refused with GROUP_PAUSED and waiting, not failed: nothing arrives until the operator resumes.
        until("the refusal", lambda: answers == ["GROUP_PAUSED"])
        assert box == [] and sender.is_alive()
        server.admin("POST", f"/groups/{group}/resume")
        sender.join(20)
        assert box and box[0]["seq"] > 0
    finally:
        coord.close()
