"""The SDK's TypedDicts are the protocol's shapes: each has exactly the fields, and the required ones, that the
protocol's AsyncAPI document (docs/asyncapi.yaml, kept with libs/protocol) gives the schema of the same name."""
import typing
from pathlib import Path

import pytest
import yaml

from ioa_client import types

SCHEMAS = yaml.safe_load((Path(__file__).resolve().parents[3] / "docs/asyncapi.yaml").read_text())["components"]["schemas"]


@pytest.mark.parametrize("name", types.__all__)
def test_typed_dict_matches_the_protocol(name):
    typed, schema = getattr(types, name), SCHEMAS[name]
    assert set(typed.__annotations__) == set(schema.get("properties", {})), name
    assert set(typed.__required_keys__) == set(schema.get("required", [])), name


@pytest.mark.parametrize("name", ["TaskState", "GroupState"])
def test_state_literals_match_the_protocol(name):
    assert set(typing.get_args(getattr(types, name))) == set(SCHEMAS[name]["enum"]), name
