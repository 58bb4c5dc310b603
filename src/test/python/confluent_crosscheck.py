#!/usr/bin/python3
"""Byte-compatibility check of mla-router's serde against Confluent's own Python client.

Run by ConfluentPythonCompatibilityTest with Debian's python3-confluent-kafka (confluent_kafka.avro, the
avro-based serializer) and python3-avro. For each case written by the Java side it:
  1. builds the record from its JSON form (CONTRACT.md) and encodes it with Confluent's MessageSerializer,
     registering the schema assembled from schemas/*.avsc under <topic>-value, as an agency would;
  2. decodes the bytes the Java serde wrote, and turns the record back into the JSON form.
It writes one JSON line per case: {"encoded": hex, "decoded": {...}, "schemaId": n}. The Java test compares.

usage: confluent_crosscheck.py REGISTRY_URL SCHEMAS_DIR CASES_FILE RESULTS_FILE
"""
import datetime
import json
import sys

import avro.name
import avro.schema
from confluent_kafka.avro import CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer

SHARED_TYPES = ["AssistanceKind", "Measure", "OffenceCategory"]


def load_schemas(schemas_dir):
    """Parses the .avsc files in dependency order into one name space; returns schemas by short name."""
    names = avro.name.Names()
    parsed = {}
    for name in SHARED_TYPES + ["AssistanceRequest", "TreatyCoverage", "RoutingDecision"]:
        with open("%s/%s.avsc" % (schemas_dir, name)) as f:
            parsed[name] = avro.schema.make_avsc_object(json.load(f), names)
    return parsed


def from_json(value, schema):
    """The JSON form of CONTRACT.md to the Python values avro's DatumWriter takes."""
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
        return {field.name: from_json(value.get(field.name), field.type) for field in schema.fields}
    if kind == "array":
        return [from_json(item, schema.items) for item in value]
    return value


def to_json(value, schema):
    """Python values from avro's DatumReader to the JSON form of CONTRACT.md."""
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


def main(registry_url, schemas_dir, cases_file, results_file):
    schemas = load_schemas(schemas_dir)
    serializer = MessageSerializer(CachedSchemaRegistryClient({"url": registry_url}))
    with open(cases_file) as cases, open(results_file, "w") as results:
        for line in cases:
            case = json.loads(line)
            schema = schemas[case["type"]]
            encoded = serializer.encode_record_with_schema(case["topic"], schema, from_json(case["json"], schema))
            decoded = serializer.decode_message(bytes.fromhex(case["javaBytes"]))
            results.write(json.dumps({
                "encoded": encoded.hex(),
                "schemaId": int.from_bytes(encoded[1:5], "big"),
                "decoded": to_json(decoded, schema),
            }) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
