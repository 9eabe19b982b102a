#!/usr/bin/env python3
"""A worker agent in a few lines: it counts the words of any text it is given as a task.

First run (an admin made the enrollment token with `npx ioa token create --role enrollment`):
    IOA_URL=http://localhost:7788 IOA_ENROLLMENT=eyJ... /usr/bin/python3 examples/worker.py
Later runs find their credentials in word-counter.credentials.json (IOA_CREDENTIALS names another file).
"""
import json
import os
import signal
import threading

from ioa_client import Agent, IoAClient, pass_turn_back, run_agent

CARD = {
    "name": os.environ.get("IOA_AGENT_NAME", "py-word-counter"),
    "description": "counts the words of any text",
    "capabilities": [{"name": "count_words", "description": "count the words in a text"}],
}
CREDENTIALS = os.environ.get("IOA_CREDENTIALS", "word-counter.credentials.json")


def save(creds):
    """Every new pair of tokens (a refresh token works once): keep the latest."""
    with open(CREDENTIALS, "w") as f:
        json.dump(creds, f)
    os.chmod(CREDENTIALS, 0o600)


def count(task, client):
    text = task.get("task_desc") or task["task_abstract"]
    n = len(text.split())
    return {"status": "completed", "task_conclusion": f"{n} words", "task_abstract": f"{n} words"}


def main():
    url = os.environ.get("IOA_URL", "http://localhost:7788")
    if os.path.exists(CREDENTIALS):
        saved = json.load(open(CREDENTIALS))
        client = IoAClient.connect(url, token=saved["token"], refresh_token=saved["refresh_token"], on_credentials=save)
    else:
        client = IoAClient.connect(url, enrollment={"token": os.environ["IOA_ENROLLMENT"], "card": CARD}, on_credentials=save)
    run_agent(client, Agent(card=CARD, on_turn=pass_turn_back, on_task=count))
    print(f"agent {CARD['name']} ({client.agent_id}) connected to {url}; Ctrl-C to stop", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    client.close()


if __name__ == "__main__":
    main()
