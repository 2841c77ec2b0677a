"""The conformance checker: does an answer, or a webhook body, match LINE's OpenAPI files?

`answer_problems` checks a status and body against the operation's responses (error answers
against `ErrorResponse`, with `details[{message, property}]`); `invalid_variants` derives
invalid requests from a valid one by walking it along its schema (a required field removed, a
wrong type, an unknown enum value, a string over its limit). `TALLY` counts what was checked,
for the summary `conftest.py` prints.
"""

import json

from emulator import openapi

TALLY = {"operations": set(), "checks": 0}


def answer_problems(method, path, status, raw):
    """What is wrong with an answer of the emulator according to LINE's spec ([] if nothing)."""
    found = openapi.operation(method, path)
    if found is None:
        return [f"{method} {path} is not an operation of LINE's spec"]
    _, op = found
    if status >= 400:
        return _error_problems(raw)
    response = op["responses"].get(str(status))
    if response is None:
        return [f"status {status} is not one the spec gives: {sorted(op['responses'])}"]
    schema = response.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return []  # binary content, or an answer the spec describes without a body
    try:
        body = json.loads(raw)
    except ValueError:
        return [f"the body is not JSON: {raw[:80]!r}"]
    return [f"{d['property']}: {d['message']}"
            for d in openapi.errors_as_details(openapi.validator_for("messaging-api", schema), body)]


def _error_problems(raw):
    try:
        body = json.loads(raw)
    except ValueError:
        return [f"an error answer must be an ErrorResponse, not {raw[:80]!r}"]
    problems = [f"{d['property']}: {d['message']}"
                for d in openapi.problems("messaging-api", "ErrorResponse", body)]
    for item in body.get("details", []) if isinstance(body, dict) else []:
        if not (isinstance(item, dict) and isinstance(item.get("message"), str)
                and isinstance(item.get("property"), str)):
            problems.append(f"an error detail needs a message and a property: {item!r}")
    return problems


def webhook_problems(body):
    """What is wrong with a webhook body according to `webhook.yml`."""
    return [f"{d['property']}: {d['message']}"
            for d in openapi.problems("webhook", "CallbackRequest", body)]


# ---- invalid requests derived from valid ones --------------------------------------------

WRONG_TYPE = {"object": "not-an-object", "array": "not-an-array", "string": 12345,
              "integer": "1", "number": "1", "boolean": "true"}


def invalid_variants(schema_name, body, most=40):
    """[(what, invalid body, property LINE must name)] for a valid request body."""
    defs = openapi.json_schema_defs("messaging-api")
    variants = []
    _walk(body, {"$ref": openapi.DEFS_REF + schema_name}, [], defs, variants)
    seen, unique = set(), []
    for what, path, replacement in variants:
        key = (what, _prop(path))
        if key not in seen:
            seen.add(key)
            unique.append((what, _replaced(body, path, replacement), _prop(path)))
    if len(unique) > most:  # keep an even spread over the body
        step = len(unique) / most
        unique = [unique[int(i * step)] for i in range(most)]
    return unique


REMOVE = object()


def _walk(value, schema, path, defs, out):
    facets = _facets(schema, value, defs)
    if path:
        kind = facets.get("type")
        if isinstance(kind, str) and kind in WRONG_TYPE:
            out.append(("wrong type", path, WRONG_TYPE[kind]))
        if "enum" in facets and isinstance(value, str):
            out.append(("unknown enum value", path, "no-such-value"))
        if "maxLength" in facets and isinstance(value, str):
            out.append(("too long", path, "x" * (facets["maxLength"] + 1)))
    if isinstance(value, dict):
        for name in sorted(facets["required"] & value.keys()):
            out.append(("required field missing", [*path, name], REMOVE))
        for name, item in value.items():
            if name in facets["properties"]:
                _walk(item, {"allOf": facets["properties"][name]}, [*path, name], defs, out)
    elif isinstance(value, list) and value and "items" in facets:
        _walk(value[0], facets["items"], [*path, 0], defs, out)


def _facets(schema, value, defs):
    """The merged constraints on `value` of a schema: `$ref`, `allOf` and the discriminator
    followed for this very value."""
    facets = {"properties": {}, "required": set()}
    stack = [schema]
    while stack:
        node = stack.pop()
        if "$ref" in node:
            stack.append(defs[node["$ref"].removeprefix(openapi.DEFS_REF)])
            continue
        for key in ("type", "enum", "maxLength", "items"):
            if key in node:
                facets.setdefault(key, node[key])
        for name, sub in node.get("properties", {}).items():
            facets["properties"].setdefault(name, []).append(sub)
        facets["required"] |= set(node.get("required", []))
        stack.extend(node.get("allOf", []))
        dispatch = node.get("discriminator")
        if dispatch and isinstance(value, dict):
            target = dispatch["mapping"].get(value.get(dispatch["propertyName"]))
            if target:
                stack.append({"$ref": target})
    return facets


def _replaced(body, path, replacement):
    copy = json.loads(json.dumps(body))
    node = copy
    for part in path[:-1]:
        node = node[part]
    if replacement is REMOVE:
        del node[path[-1]]
    else:
        node[path[-1]] = replacement
    return copy


def _prop(path):
    return openapi.property_path(path)
