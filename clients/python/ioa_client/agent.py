"""``run_agent``: an existing agent joins ioa with a card and a few callbacks, without handling the protocol itself."""
from __future__ import annotations

import inspect
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

from .client import IoAClient
from .errors import IoAError

log = logging.getLogger("ioa_client")

Message = Dict[str, Any]
#: What ``on_task`` returns: ``{ status: completed|failed, task_conclusion, task_abstract }``, or just the conclusion.
Outcome = Union[str, Dict[str, str]]

#: A task in one of these states takes no more messages (SETTLED_TASK_STATES in libs/protocol).
SETTLED_TASK_STATES = ("completed", "canceled", "rejected", "failed")
ABSTRACT_MAX = 1000  # ENVELOPE_LIMITS in libs/protocol
TEXT_MAX = 16 * 1024


@dataclass
class TurnContext:
    """What an agent knows when it holds the turn in a group."""
    client: IoAClient
    me: str
    group: Dict[str, Any]
    messages: List[Dict[str, Any]]
    tasks: List[Dict[str, Any]]

    @property
    def is_coordinator(self) -> bool:
        return self.group["coordinator"] == self.me

    @property
    def my_tasks(self) -> List[Dict[str, Any]]:
        return [t for t in self.tasks if self.me in t["assignee"]]


@dataclass
class Agent:
    """A card and callbacks; only ``on_turn`` is required (return a message ``{type, payload}`` or None).

    - ``on_task(task, client)`` does a task assigned to this agent and returns its outcome (a raise fails the task);
      without it tasks are declined;
    - ``on_goal(goal)`` returns the team to form for a goal this agent coordinates (``{ team_members: [...] }``);
      an agent with ``on_goal`` is declared a coordinator on its card;
    - ``on_invite(invite)`` says whether to join a group: a bool, or ``(accept, reason)`` (default: the card's
      ``accepting_invites``, else yes);
    - ``on_team_formed(goal, team, ack)`` hears that the team ``on_goal`` asked for was accepted (``ack["group_id"]``).

    ``on_task`` may take a third argument, ``progress(value, note)``, to report progress (0 to 1) while it works.
    """
    card: Dict[str, Any]
    on_turn: Callable[[TurnContext], Optional[Message]]
    on_task: Optional[Callable[..., Outcome]] = None
    on_goal: Optional[Callable[[Dict[str, Any]], Optional[Dict[str, Any]]]] = None
    on_invite: Optional[Callable[[Dict[str, Any]], Union[bool, Tuple[bool, str]]]] = None
    on_team_formed: Optional[Callable[[Dict[str, Any], Dict[str, Any], Dict[str, Any]], None]] = None


@dataclass
class AgentRun:
    """A running agent: ``groups`` it follows; ``ready`` is set once its card says whether it coordinates (wait for
    it before submitting a goal that should find this agent); ``stop()`` stops reacting (the client stays open)."""
    groups: set = field(default_factory=set)
    ready: threading.Event = field(default_factory=threading.Event)
    stop: Callable[[], None] = lambda: None


def pass_turn_back(ctx: TurnContext) -> Optional[Message]:
    """What an agent that only takes tasks does on a turn: hands it straight back to the coordinator."""
    if ctx.is_coordinator or ctx.group["state"] != "discussion":
        return None
    return {"type": "discussion", "payload": {"content": "I only take tasks; passing the turn back.", "next_speaker": []}}


def run_agent(client: IoAClient, agent: Agent, history_limit: int = 50, workers: int = 4) -> AgentRun:
    """Runs ``agent`` on a connected client until ``stop()``: declares on its card whether it coordinates, answers
    invites and goals, takes turns (once per group seq), does tasks concurrently, and follows the groups it is in.

    >>> run = run_agent(client, Agent(card=card, on_turn=pass_turn_back, on_task=lambda task, c: "done"))
    """
    return _Runner(client, agent, history_limit, workers).start()


class _Runner:
    def __init__(self, client: IoAClient, agent: Agent, history_limit: int, workers: int):
        self.c, self.agent, self.history_limit = client, agent, history_limit
        self.run = AgentRun(stop=self.stop)
        self.history: Dict[str, List[Dict[str, Any]]] = {}
        self.offered_at: Dict[str, int] = {}
        self.seen: set = set()
        self.active_tasks: set = set()
        #: One lock per group: its turns are taken one at a time, off the client's event thread.
        self.turn_locks: Dict[str, threading.Lock] = {}
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ioa-task")
        self.offs: List[Callable[[], None]] = []
        self.stopped = False
        self.lock = threading.Lock()

    def start(self) -> AgentRun:
        on = self.c.on
        self.offs += [
            on("message", self.remember), on("turn", self.on_turn), on("task", self.on_task), on("goal", self.on_goal),
            on("invite", self.on_invite), on("group_state", self.on_group_state), on("reconnect", self.catch_up),
        ]
        self.guard("card", self.declare_coordination)
        self.run.ready.set()
        self.guard("catch-up", self.catch_up)
        return self.run

    def stop(self) -> None:
        self.stopped = True
        for off in self.offs:
            off()
        self.pool.shutdown(wait=False)

    def guard(self, where: str, work: Callable[[], Any]) -> None:
        try:
            work()
        except Exception:
            log.exception("ioa agent %s: %s failed", self.c.agent_id, where)

    def once(self, key: str) -> bool:
        with self.lock:
            if key in self.seen:
                return False
            self.seen.add(key)
            return True

    def declare_coordination(self) -> None:
        coordinates = self.agent.on_goal is not None and self.agent.card.get("coordinates") is not False
        if self.c.rest.get_agent(self.c.agent_id).get("coordinates") != coordinates:
            self.c.rest.update_card(self.c.agent_id, {"coordinates": coordinates})

    def join(self, group_id: str) -> None:
        with self.lock:
            if group_id in self.run.groups:
                return
            self.run.groups.add(group_id)
        try:
            self.c.subscribe(group_id)
        except Exception:
            self.run.groups.discard(group_id)
            raise

    def remember(self, m: Dict[str, Any]) -> None:
        items = self.history.setdefault(m["header"]["group_id"], [])
        items.append(m)
        del items[:-self.history_limit]

    def on_group_state(self, e: Dict[str, Any]) -> None:
        if e["state"] == "closed" and e["group_id"] in self.run.groups:
            self.run.groups.discard(e["group_id"])
            self.guard("unsubscribe", lambda: self.c.unsubscribe(e["group_id"]))

    def on_turn(self, t: Dict[str, Any]) -> None:
        if self.stopped or self.c.agent_id not in t["holders"]:
            return
        # A slow on_turn must not hold up other events (a token renewal, invites, other groups' turns).
        with self.lock:
            lock = self.turn_locks.setdefault(t["group_id"], threading.Lock())

        def turn() -> None:
            with lock:
                self.take_turn(t["group_id"])
        self.pool.submit(self.guard, f"turn in {t['group_id']}", turn)

    def take_turn(self, group_id: str, again: bool = False) -> None:
        self.join(group_id)
        group = self.c.rest.get_group(group_id)
        # Stale (the turn moved on) or already offered at this seq (an event sent again after a reconnection).
        if group["state"] == "closed" or self.c.agent_id not in group["turn"]["holders"] or self.offered_at.get(group_id) == group["seq"]:
            return
        self.offered_at[group_id] = group["seq"]
        ctx = TurnContext(self.c, self.c.agent_id, group, list(self.history.get(group_id, [])), self.c.rest.tasks(group_id))
        message = self.agent.on_turn(ctx)
        if not message or self.stopped:
            return
        try:
            self.c.send(group_id, message["type"], message["payload"])
        except IoAError as e:
            # The group moved on between reading it and answering: nothing was stored; offer the turn once more.
            if again or e.code != "ILLEGAL_IN_STATE":
                raise
            self.offered_at.pop(group_id, None)
            self.take_turn(group_id, again=True)

    def on_task(self, task: Dict[str, Any]) -> None:
        # A task graph's node still pending waits for its predecessors: its dispatch sends it again, with its inputs.
        if self.stopped or task["state"] != "submitted" or task.get("node_state") == "pending" or self.c.agent_id not in task["assignee"]:
            return
        # Once per version of the task (a reassignment makes a new one), and never twice at the same time.
        with self.lock:
            if task["id"] in self.active_tasks:
                return
            self.active_tasks.add(task["id"])
        if not self.once(f"task {task['id']}@{task['updated_at']}"):
            self.active_tasks.discard(task["id"])
            return

        def work() -> None:
            try:
                self.guard(f"task {task['id']}", lambda: self.work(task))
            finally:
                self.active_tasks.discard(task["id"])
        self.pool.submit(work)

    def work(self, task: Dict[str, Any]) -> None:
        g = task["group_id"]
        self.guard("join", lambda: self.join(g))
        if not self.agent.on_task:
            log.warning("ioa agent %s: task %s declined: this agent has no on_task", self.c.agent_id, task["id"])
            self.c.send(g, "task_reply", {"task_id": task["id"], "accept": False, "reason": "this agent does not take tasks"})
            return
        self.c.send(g, "task_reply", {"task_id": task["id"], "accept": True})
        def progress(value: float, note: str = "") -> None:
            self.c.send(g, "task_progress", {"task_id": task["id"], "progress": value, "note": note[:ABSTRACT_MAX]})
        try:
            takes_progress = len(inspect.signature(self.agent.on_task).parameters) >= 3
            result = self.agent.on_task(task, self.c, progress) if takes_progress else self.agent.on_task(task, self.c)
            outcome = result if isinstance(result, dict) else {"status": "completed", "task_conclusion": str(result)}
        except Exception as e:  # the task fails, with the reason
            outcome = {"status": "failed", "task_conclusion": str(e) or type(e).__name__}
        conclusion = str(outcome.get("task_conclusion", ""))[:TEXT_MAX]
        abstract = (outcome.get("task_abstract") or next((l.strip() for l in conclusion.splitlines() if l.strip()), conclusion))[:ABSTRACT_MAX]
        current = next((t for t in self.c.rest.tasks(g) if t["id"] == task["id"]), None)
        # Settled meanwhile (canceled, a deadline, a sub-team's conclusion): there is no result to send.
        if self.stopped or (current and current["state"] in SETTLED_TASK_STATES):
            return
        self.c.send(g, "task_result", {"task_id": task["id"], "status": outcome.get("status", "completed"), "task_conclusion": conclusion or abstract or "-", "task_abstract": abstract or "-"})

    def on_goal(self, goal: Dict[str, Any]) -> None:
        if self.stopped or not self.once(f"goal {goal['goal_id']}"):
            return
        if not self.agent.on_goal:
            log.warning("ioa agent %s: goal %s ignored: this agent has no on_goal", self.c.agent_id, goal["goal_id"])
            return
        try:
            team = self.agent.on_goal(goal)
            if team:
                sent = {"goal": goal["goal"], **team, "goal_id": goal["goal_id"]}
                ack = self.c.form_team(sent)
                self.join(ack["group_id"])
                if self.agent.on_team_formed:
                    self.agent.on_team_formed(goal, sent, ack)
        except Exception:
            self.seen.discard(f"goal {goal['goal_id']}")  # a redelivery may try again
            log.exception("ioa agent %s: goal %s failed", self.c.agent_id, goal["goal_id"])

    def on_invite(self, invite: Dict[str, Any]) -> None:
        if self.stopped or not self.once(f"invite {invite['invite_id']}"):
            return
        try:
            decision = self.agent.on_invite(invite) if self.agent.on_invite else self.agent.card.get("accepting_invites", True) is not False
            accept, reason = decision if isinstance(decision, tuple) else (bool(decision), None)
            ack = self.c.reply_invite(invite["invite_id"], accept, reason[:ABSTRACT_MAX] if reason else None)
            if accept:
                self.join(ack["group_id"])
        except Exception:
            self.seen.discard(f"invite {invite['invite_id']}")
            log.exception("ioa agent %s: invite %s failed", self.c.agent_id, invite["invite_id"])

    def catch_up(self) -> None:
        """Follows every open group this agent is in (the server sends turns and tasks it owes by itself)."""
        for group in self.c.rest.list_groups(limit=500)["items"]:
            if group["state"] != "closed" and self.c.agent_id in group["members"]:
                self.guard(f"join {group['id']}", lambda g=group["id"]: self.join(g))
