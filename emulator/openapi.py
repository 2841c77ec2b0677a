"""LINE's OpenAPI files (emulator/spec/) turned into JSON Schema, to check bodies against them.

The spec is OpenAPI 3.0: JSON Schema plus `nullable` and `discriminator`. A plain JSON Schema
validator ignores `discriminator`, so `{"type": "text"}` would pass as a `Message` (whose own
properties are all optional). Here a schema with a discriminator becomes a dispatch: its
property is required and must be one of the mapping's values, and the object must then match
the mapped schema (`TextMessage` requires `text`), found with one lookup by a `discriminator`
keyword the JSON Schema validator is extended with. The mapped schemas inherit from the base
through `allOf`; they refer to a copy of the base without the dispatch, so nothing recurses.

    problems("messaging-api", "ReplyMessageRequest", body)  # -> [{"message", "property"}]
"""

import functools
import re
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator, validators

SPEC_DIR = Path(__file__).with_name("spec")
SPECS = ("messaging-api", "webhook")
COMPONENT_REF = "#/components/schemas/"
DEFS_REF = "#/$defs/"
BASE_SUFFIX = ".base"  # the copy of a discriminator's base schema, without the dispatch

# OpenAPI annotations that do not constrain a value (format is not checked, as LINE's own
# validators do not check `uri` or `int64` beyond the type either).
IGNORED = {"description", "example", "examples", "externalDocs", "xml", "readOnly",
           "writeOnly", "deprecated", "format", "default", "title", "discriminator", "nullable"}
SCHEMA_MAPS = {"properties", "patternProperties"}
SCHEMA_VALUES = {"items", "additionalProperties", "not"}
SCHEMA_LISTS = {"allOf", "oneOf", "anyOf"}


@functools.cache
def spec(name):
    """The parsed OpenAPI document `emulator/spec/<name>.yml`."""
    with open(SPEC_DIR / f"{name}.yml", encoding="utf-8") as file:
        return yaml.load(file, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@functools.cache
def json_schema_defs(name):
    """Every component schema of a spec as JSON Schema `$defs`, discriminators resolved."""
    schemas = spec(name)["components"]["schemas"]
    bases = {key for key, schema in schemas.items() if "discriminator" in schema}
    defs = {}
    for key, schema in schemas.items():
        converted = _convert(schema, bases)
        if key in bases:
            defs[key + BASE_SUFFIX] = converted
            defs[key] = _dispatch(key, schema["discriminator"])
        else:
            defs[key] = converted
    return defs


def _convert(node, bases, in_all_of=False):
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target = node["$ref"].removeprefix(COMPONENT_REF)
        # `allOf: [$ref: Base]` is inheritance: take the base's fields, not its dispatch.
        suffix = BASE_SUFFIX if in_all_of and target in bases else ""
        return {"$ref": DEFS_REF + target + suffix}
    out = {}
    for key, value in node.items():
        if key in IGNORED:
            continue
        if key in SCHEMA_MAPS:
            out[key] = {name: _convert(sub, bases) for name, sub in value.items()}
        elif key in SCHEMA_VALUES and isinstance(value, dict):
            out[key] = _convert(value, bases)
        elif key in SCHEMA_LISTS:
            out[key] = [_convert(sub, bases, in_all_of=key == "allOf") for sub in value]
        else:
            out[key] = value
    if node.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    return out


def _dispatch(key, discriminator):
    """The schema that stands for a discriminator's base: its property is required, one of the
    mapping's values, and picks the schema the rest of the object must match."""
    prop = discriminator["propertyName"]
    mapping = discriminator["mapping"]
    return {
        "type": "object",
        "required": [prop],
        "properties": {prop: {"type": "string", "enum": list(mapping)}},
        "discriminator": {"propertyName": prop, "mapping": {
            value: DEFS_REF + target.removeprefix(COMPONENT_REF)
            for value, target in mapping.items()}},
    }


def _discriminator(validator, discriminator, instance, schema):
    """Validate an object against the schema its discriminator property names (one lookup,
    rather than trying every schema of the mapping)."""
    if not validator.is_type(instance, "object"):
        return
    target = discriminator["mapping"].get(instance.get(discriminator["propertyName"]))
    if target is not None:
        yield from validator.descend(instance, {"$ref": target})


def _items(validator, items, instance, schema):
    """Draft 2020-12 `items`, with a fast path for arrays of plain strings (a multicast's 500
    user ids): only the items of the wrong type go through the full validator."""
    if items == {"type": "string"} and validator.is_type(instance, "array"):
        for index, item in enumerate(instance):
            if type(item) is not str:
                yield from validator.descend(item, items, path=index)
        return
    yield from _draft_items(validator, items, instance, schema)


_draft_items = Draft202012Validator.VALIDATORS["items"]
SpecValidator = validators.extend(Draft202012Validator,
                                  {"items": _items, "discriminator": _discriminator})


@functools.cache
def validator(spec_name, schema):
    """A validator for one component schema, such as `"ReplyMessageRequest"`."""
    return SpecValidator({"$defs": json_schema_defs(spec_name), "$ref": DEFS_REF + schema})


def validator_for(spec_name, openapi_schema):
    """A validator for a schema as the spec writes it: `{"$ref": "#/components/schemas/X"}`
    (every request and JSON response body of LINE's spec is one)."""
    return validator(spec_name, openapi_schema["$ref"].removeprefix(COMPONENT_REF))


def problems(spec_name, schema, instance):
    """What is wrong with `instance` as a `schema` of the spec, as LINE's error details."""
    return errors_as_details(validator(spec_name, schema), instance)


def errors_as_details(schema_validator, instance):
    errors = sorted(schema_validator.iter_errors(instance),
                    key=lambda e: (property_path(e.absolute_path), e.validator))
    details, seen = [], set()
    for error in errors:
        for item in _details(error):
            key = (item["property"], item["message"])
            if key not in seen:
                seen.add(key)
                details.append(item)
    return details


def _details(error):
    prop = property_path(error.absolute_path)
    kind, bound = error.validator, error.validator_value
    if kind == "required":
        missing = [name for name in bound
                   if isinstance(error.instance, dict) and name not in error.instance]
        return [{"message": "Must be specified", "property": _join(prop, name)}
                for name in missing]
    messages = {
        "type": lambda: f"Must be {_type_name(bound)}",
        "enum": lambda: "Must be one of the following values: [{}]".format(
            ", ".join(map(str, bound))),
        "maxLength": lambda: f"Length must be at most {bound}",
        "minLength": lambda: f"Length must be at least {bound}",
        "maxItems": lambda: f"Size must be at most {bound}",
        "minItems": lambda: f"Size must be at least {bound}",
        "maximum": lambda: f"Must be at most {bound}",
        "minimum": lambda: f"Must be at least {bound}",
        "pattern": lambda: f"Must match {bound}",
        "uniqueItems": lambda: "Items must be unique",
    }
    message = messages.get(kind, lambda: "Invalid value")()
    return [{"message": message, "property": prop or "body"}]


TYPE_NAMES = {"object": "an object", "array": "an array", "string": "a string",
              "integer": "an integer", "number": "a number", "boolean": "a boolean",
              "null": "null"}


def _type_name(bound):
    kinds = bound if isinstance(bound, list) else [bound]
    return " or ".join(TYPE_NAMES.get(kind, kind) for kind in kinds)


def property_path(path):
    """`messages[0].contents.body` from a JSON path ("messages", 0, "contents", "body")."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _join(prop, name):
    return f"{prop}.{name}" if prop else name


# ---- operations -------------------------------------------------------------------------

@functools.cache
def _operations(spec_name):
    """[(method, path regex, path template, operation)], literal paths before templated ones."""
    found = []
    for template, item in spec(spec_name)["paths"].items():
        pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                found.append((method.upper(), pattern, template, operation))
    found.sort(key=lambda entry: entry[2].count("{"))
    return found


def operation(method, path, spec_name="messaging-api"):
    """The spec's (path template, operation) for a request, or None."""
    for op_method, pattern, template, op in _operations(spec_name):
        if op_method == method and pattern.match(path):
            return template, op
    return None


def request_body_schema(method, path):
    """The JSON schema of an operation's request body, as written in the spec, or None."""
    found = operation(method, path)
    if found is None:
        return None
    content = found[1].get("requestBody", {}).get("content", {})
    return content.get("application/json", {}).get("schema")


def request_problems(method, path, body):
    """What is wrong with a JSON request body according to the operation's schema."""
    schema = request_body_schema(method, path)
    if schema is None:
        return []
    return errors_as_details(validator_for("messaging-api", schema), body)
