"""The protocol's shapes as TypedDicts, named as in docs/asyncapi.yaml (``tests/test_types.py`` holds them to it)."""
from __future__ import annotations

from typing import Any, Dict, List, Literal, Optional, TypedDict, Union

GroupState = Literal["forming", "discussion", "sync_task_assignment", "async_task_assignment", "pause_and_trigger", "conclusion", "closed"]
TaskState = Literal["submitted", "running", "suspended", "completed", "failed", "canceled", "rejected"]


class _ClientHeader(TypedDict):
    protocol: str
    message_id: str
    type: str


class ClientHeader(_ClientHeader, total=False):
    group_id: str


class StampedHeader(TypedDict):
    protocol: str
    message_id: str
    group_id: str
    type: str
    sender: str
    state: GroupState
    seq: int
    timestamp: str


class _Envelope(TypedDict):
    header: StampedHeader
    payload: Dict[str, Any]


class Envelope(_Envelope, total=False):
    """A stamped message as the server sends it (``message`` events, history)."""
    ext: Dict[str, Any]


class _Discussion(TypedDict):
    content: str
    next_speaker: List[str]


class DiscussionPayload(_Discussion, total=False):
    """``next_speaker`` empty hands the turn back to the coordinator; ``ask_requester`` asks the goal's requester."""
    next_state: str
    ask_requester: bool


class _TaskSpec(TypedDict):
    task_desc: str
    task_abstract: str


class TaskSpec(_TaskSpec, total=False):
    """With ``key`` and ``depends_on`` (on any task) the assignment is a task graph; ``when`` maps a key of
    ``depends_on`` to ``completed``, ``failed`` or a text its result's abstract contains. ``assignee`` is required
    but on an approval node (``kind: "approval"``), which people decide (``approvers``, ``expires_in_s``)."""
    assignee: List[str]
    kind: Literal["approval"]
    approvers: List[str]
    expires_in_s: int
    deadline_s: int
    key: str
    depends_on: List[str]
    when: Dict[str, str]
    policy: Literal["fail", "skip", "retry", "reassign"]
    max_retries: int
    retry_delay_s: int


class TaskAssignmentPayload(TypedDict):
    mode: Literal["sync", "async"]
    tasks: List[TaskSpec]


class _TaskReply(TypedDict):
    task_id: str
    accept: bool


class TaskReplyPayload(_TaskReply, total=False):
    reason: str
    eta_s: int


class TaskProgressPayload(TypedDict):
    task_id: str
    progress: float
    note: str


class TaskResultPayload(TypedDict):
    task_id: str
    status: Literal["completed", "failed"]
    task_conclusion: str
    task_abstract: str


class ConclusionPayload(TypedDict):
    summary: str


class TurnEvent(TypedDict):
    """You (among ``holders``) may speak in ``group_id``; drop one already handled by its ``seq``."""
    group_id: str
    holders: List[str]
    deadline: Optional[str]
    seq: int


class GroupStateEvent(TypedDict):
    group_id: str
    state: GroupState
    seq: int


class _TaskView(TypedDict):
    id: str
    group_id: str
    state: TaskState
    mode: Literal["sync", "async"]
    task_abstract: str
    assignee: List[str]
    progress: float
    deadline: Optional[str]
    result: Optional[Dict[str, str]]
    reason: Optional[str]
    created_at: str
    updated_at: str


class TaskView(_TaskView, total=False):
    """A task; ``task_desc`` only where the receiver may read it. Dedupe by ``id`` and ``updated_at``."""
    task_desc: str
    history: List[Dict[str, Any]]
    # A node of a task graph: wait while ``node_state`` is ``pending``; ``inputs`` are its predecessors' results.
    graph_id: str
    key: str
    depends_on: List[str]
    when: Dict[str, str]
    policy: Literal["fail", "skip", "retry", "reassign"]
    node_state: Literal["pending", "ready", "dispatched", "settled", "skipped", "invalidated"]
    retries_left: int
    retry_at: Optional[str]
    inputs: List[Dict[str, Any]]


class _TeamFormation(TypedDict):
    goal: str
    team_members: List[Union[str, Dict[str, Any]]]


class TeamFormationPayload(_TeamFormation, total=False):
    goal_id: str
    parent_task_id: str
    team_up_depth: int
    max_turns: int
    allow_ancestor_members: bool


class GoalEvent(TypedDict):
    """You coordinate this goal: form its root team (``goal_id`` in the ``team_formation``) before ``accept_deadline``."""
    goal_id: str
    goal: str
    max_turns: int
    team_up_depth: int
    accept_deadline: str


class GoalUpdateEvent(TypedDict):
    """A goal left you: passed to another coordinator (``status`` still ``pending``), or failed (``reason``)."""
    goal_id: str
    status: str
    coordinator: str
    reason: Optional[str]
    handovers: List[Dict[str, str]]


InviteEvent = TypedDict("InviteEvent", {"invite_id": str, "group_id": str, "goal": str, "from": str, "need": Optional[str], "deadline": str})


class _ErrorBody(TypedDict):
    code: str
    message: str


class ErrorBody(_ErrorBody, total=False):
    fields: List[Dict[str, Any]]


__all__ = [
    "ClientHeader", "StampedHeader", "Envelope", "DiscussionPayload", "TaskSpec", "TaskAssignmentPayload", "TaskReplyPayload",
    "TaskProgressPayload", "TaskResultPayload", "ConclusionPayload", "TurnEvent", "GroupStateEvent", "TaskView",
    "TeamFormationPayload", "GoalEvent", "GoalUpdateEvent", "InviteEvent", "ErrorBody",
]
