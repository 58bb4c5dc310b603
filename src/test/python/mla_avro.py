"""Shared by the Python interoperability scripts: the contract's schemas, parsed from schemas/*.avsc as an agency
would, and the JSON form of docs/contract.md to and from the values of python3-avro."""
import datetime
import json

import avro.name
import avro.schema

SHARED_TYPES = ["AssistanceKind", "Measure", "OffenceCategory"]


def load_schemas(schemas_dir):
    """Parses the .avsc files in dependency order into one name space; returns schemas by short name."""
    names = avro.name.Names()
    parsed = {}
    for name in SHARED_TYPES + ["AssistanceRequest", "TreatyCoverage", "RoutingDecision", "ReviewOutcome"]:
        with open("%s/%s.avsc" % (schemas_dir, name)) as f:
            parsed[name] = avro.schema.make_avsc_object(json.load(f), names)
    return parsed


def from_json(value, schema):
    """The JSON form of docs/contract.md to the Python values avro's DatumWriter takes."""
    if value is None:
        return None
    kind = schema.type
    if kind == "union":
        branch = next(s for s in schema.schemas if s.type != "null")
        return from_json(value, branch)
    logical = schema.get_prop("logicalType")
    if logical == "timestamp-millis":
        if isinstance(value, int):
            return datetime.datetime.fromtimestamp(value / 1000, tz=datetime.timezone.utc)
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if logical == "date":
        return datetime.date.fromisoformat(value)
    if kind == "record":
        # A field the JSON leaves out takes its schema default, as Avro's own JSON decoding does: a client on a newer
        # schema (version 3's ReviewOutcome.kind) need not name what version 2 did not have.
        return {field.name: from_json(field.default if field.name not in value and field.has_default else value.get(field.name), field.type)
                for field in schema.fields}
    if kind == "array":
        return [from_json(item, schema.items) for item in value]
    return value


def to_json(value, schema):
    """Python values from avro's DatumReader to the JSON form of docs/contract.md."""
    if value is None:
        return None
    kind = schema.type
    if kind == "union":
        branch = next(s for s in schema.schemas if s.type != "null")
        return to_json(value, branch)
    if isinstance(value, datetime.datetime):
        text = value.astimezone(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        return text.replace(".000Z", "Z")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if kind == "record":
        return {field.name: to_json(value.get(field.name), field.type) for field in schema.fields}
    if kind == "array":
        return [to_json(item, schema.items) for item in value]
    return value
