#!/usr/bin/python3
"""Byte-compatibility check of mla-router's serde against Confluent's own Python client.

Run by ConfluentPythonCompatibilityTest with Debian's python3-confluent-kafka (confluent_kafka.avro, the
avro-based serializer) and python3-avro. For each case written by the Java side it:
  1. builds the record from its JSON form (docs/contract.md) and encodes it with Confluent's MessageSerializer,
     registering the schema assembled from schemas/*.avsc under <topic>-value, as an agency would;
  2. decodes the bytes the Java serde wrote, and turns the record back into the JSON form.
It writes one JSON line per case: {"encoded": hex, "decoded": {...}, "schemaId": n}. The Java test compares.

usage: confluent_crosscheck.py REGISTRY_URL SCHEMAS_DIR CASES_FILE RESULTS_FILE
"""
import json
import sys

from confluent_kafka.avro import CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer

from mla_avro import from_json, load_schemas, to_json

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
