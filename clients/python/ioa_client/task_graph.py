"""Task graphs: tasks that wait for each other (docs/protocol.md, "Task graphs"), built and checked before sending."""
from typing import Dict, List, Optional, Union

from .types import TaskSpec

After = Union[List[str], Dict[str, str]]


class TaskGraph:
    """Builds the ``tasks`` of a ``task_assignment`` whose tasks wait for each other::

        tasks = (TaskGraph()
                 .task("draft", task_desc="Write the leaflet", task_abstract="draft", assignee=[writer])
                 .task("translate", task_desc="Into French", task_abstract="translate", assignee=[translator], after=["draft"])
                 .task("publish", task_desc="Publish it", task_abstract="publish", assignee=[writer],
                       after={"translate": "approved"}, policy="retry", max_retries=2)
                 .build())
        client.send(group_id, "task_assignment", {"mode": "sync", "tasks": tasks})

    ``after`` lists the keys a task waits for (each must complete), or maps each to its condition: ``completed``,
    ``failed``, or a text the predecessor's result abstract contains. ``build`` refuses what the server would refuse
    (a cycle, an unknown key, a key used twice) with a ``ValueError`` naming the key.
    """

    def __init__(self) -> None:
        self._specs: List[TaskSpec] = []

    def task(self, key: str, *, task_desc: str, task_abstract: str, assignee: List[str], after: Optional[After] = None,
             policy: Optional[str] = None, max_retries: Optional[int] = None, retry_delay_s: Optional[int] = None,
             deadline_s: Optional[int] = None) -> "TaskGraph":
        after = after or []
        spec: TaskSpec = {"key": key, "task_desc": task_desc, "task_abstract": task_abstract, "assignee": list(assignee),
                          "depends_on": list(after)}
        when = {k: c for k, c in after.items() if c.strip().lower() != "completed"} if isinstance(after, dict) else {}
        optional = {"when": when or None, "policy": policy, "max_retries": max_retries, "retry_delay_s": retry_delay_s, "deadline_s": deadline_s}
        spec.update({k: v for k, v in optional.items() if v is not None})  # type: ignore[typeddict-item]
        self._specs.append(spec)
        return self

    def build(self) -> List[TaskSpec]:
        keys: List[str] = [s["key"] for s in self._specs]
        for key in keys:
            if keys.count(key) > 1:
                raise ValueError(f'not a valid task graph: key "{key}" is used by two tasks')
        for s in self._specs:
            deps = s["depends_on"]
            for d in deps:
                if d not in keys:
                    raise ValueError(f'not a valid task graph: depends_on of "{s["key"]}" names unknown key "{d}"')
                if deps.count(d) > 1:
                    raise ValueError(f'not a valid task graph: "{s["key"]}" depends on "{d}" twice')
        cycle = _first_in_cycle(self._specs)
        if cycle is not None:
            raise ValueError(f'not a valid task graph: depends_on forms a cycle through "{cycle}"')
        return [dict(s) for s in self._specs]  # type: ignore[misc]


def _first_in_cycle(specs: List[TaskSpec]) -> Optional[str]:
    """Kahn's algorithm: the first key (in order) left over once every task without predecessors is peeled off."""
    waiting = {s["key"]: set(s["depends_on"]) for s in specs}
    free = [k for k, deps in waiting.items() if not deps]
    while free:
        done = free.pop()
        waiting.pop(done, None)
        for key, deps in waiting.items():
            if done in deps:
                deps.discard(done)
                if not deps:
                    free.append(key)
    return next((s["key"] for s in specs if s["key"] in waiting), None)
