"""The Python SDK's task graph builder: the shapes the protocol has, and the refusals the server would make."""
import pytest

from ioa_client import TaskGraph


def spec(name):
    return {"task_desc": f"do {name}", "task_abstract": name, "assignee": ["a"]}


def test_builds_keys_edges_conditions_and_policies():
    tasks = (TaskGraph()
             .task("draft", **spec("draft"))
             .task("review", **spec("review"), after=["draft"])
             .task("publish", **spec("publish"), after={"review": "Approved", "draft": "completed"}, policy="retry", max_retries=2)
             .build())
    assert tasks == [
        {**spec("draft"), "key": "draft", "depends_on": []},
        {**spec("review"), "key": "review", "depends_on": ["draft"]},
        {**spec("publish"), "key": "publish", "depends_on": ["review", "draft"], "when": {"review": "Approved"}, "policy": "retry", "max_retries": 2},
    ]


@pytest.mark.parametrize("graph, message", [
    (TaskGraph().task("a", **spec("a"), after=["b"]).task("b", **spec("b"), after=["a"]), 'cycle through "a"'),
    (TaskGraph().task("a", **spec("a"), after=["nope"]), 'unknown key "nope"'),
    (TaskGraph().task("a", **spec("a")).task("a", **spec("a")), 'key "a" is used by two tasks'),
    (TaskGraph().task("a", **spec("a")).task("b", **spec("b"), after=["a", "a"]), '"b" depends on "a" twice'),
])
def test_refuses_what_the_server_would(graph, message):
    with pytest.raises(ValueError, match=message):
        graph.build()
