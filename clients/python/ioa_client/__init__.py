"""Python SDK for ioa, the Internet of Agents server (protocol ``ioa/1``): see docs/sdk.md in the repository."""
from .agent import Agent, AgentRun, TurnContext, pass_turn_back, run_agent
from .client import IoAClient, agent_id_of
from .errors import ConnectionFailed, ERROR_CODES, IoAError
from .rest import RestClient
from .task_graph import TaskGraph

PROTOCOL = "ioa/1"

__all__ = ["Agent", "AgentRun", "ConnectionFailed", "ERROR_CODES", "IoAClient", "IoAError", "PROTOCOL", "RestClient", "TaskGraph", "TurnContext",
           "agent_id_of", "pass_turn_back", "run_agent"]
