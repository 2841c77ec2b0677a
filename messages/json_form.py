"""A message model's JSON form (what LINE receives), built in one walk over the model.

The SDK's `to_dict()` gives the same dict, but each model serializes its whole subtree with
pydantic and then serializes its nested models again through their own `to_dict()`: a Flex
bubble's inner boxes are serialized once per level above them. Every answer is turned into
JSON once per event, so this walk (each node once, same keys, same values) is what the bot
stores and sends. `tests/test_json_form.py` checks it against `to_dict()` for every builder."""

from __future__ import annotations

from typing import Any

from pydantic.v1 import BaseModel


def json_form(value: Any) -> Any:
    """`value.to_dict()` for a line-bot-sdk model: field aliases as keys, `None` fields left
    out, nested models, lists and dicts walked (values inside dicts kept even when None, as
    pydantic does)."""
    if isinstance(value, BaseModel):
        fields = value.__fields__
        form = {}
        for name, item in value.__dict__.items():
            if item is None:
                continue
            field = fields.get(name)
            form[field.alias if field is not None else name] = json_form(item)
        return form
    if isinstance(value, list):
        return [json_form(item) for item in value]
    if isinstance(value, dict):
        return {key: json_form(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return tuple(json_form(item) for item in value)
    return value
