#!/usr/bin/python3
"""An agency's integration with mla-router, written with Confluent's Python client (Debian python3-confluent-kafka).

  produce BOOTSTRAP REGISTRY_URL SCHEMAS_DIR TOPIC REQUESTS_JSONL
      Sends each request with confluent_kafka.avro.AvroProducer, schema from the .avsc files. confluent-kafka 1.7's
      AvroProducer Avro-encodes any key it is given, while the contract's keys are plain strings: it sends no key, and
      the router keys each decision by the requestId in the value.
  produce-keyed BOOTSTRAP REGISTRY_URL SCHEMAS_DIR TOPIC REQUESTS_JSONL
      Sends each request keyed by its requestId (a plain string key) with a plain Producer and Confluent's
      MessageSerializer, placed by librdkafka's default partitioner (consistent_random: CRC32 of the key, not the
      Java client's murmur2).
  produce-with-references BOOTSTRAP REGISTRY_URL SCHEMAS_DIR TOPIC REQUESTS_JSONL
      Registers the shared enums under subjects of their own and the request schema referencing them, with the
      SchemaRegistryClient of confluent-kafka 1.7 (which takes references), then sends each request keyed by its
      requestId, framed with that schema id. 1.7's AvroSerializer cannot resolve references (and needs fastavro), so the
      body is written with python3-avro's DatumWriter over the same schema, as the wire format prescribes.
  consume BOOTSTRAP REGISTRY_URL SCHEMAS_DIR COUNT TIMEOUT_S TOPIC...
      Reads COUNT decisions (read_committed) with a plain Consumer and Confluent's MessageSerializer, the decoder
      AvroConsumer uses (AvroConsumer itself would try to Avro-decode the string keys), and prints them as JSON lines
      with the record key.
  decrypt BOOTSTRAP REGISTRY_URL SCHEMAS_DIR KEYS_TOPIC KEK_FILE COUNT TIMEOUT_S TOPIC...
      As consume, for a reader entitled to the personal data (it holds the key-encryption keys): reads each request's
      wrapped data key from the compacted keys topic, unwraps it with the key-encryption key it names (AES-256-GCM,
      the request id as associated data) and decrypts each mla-enc:v1: field (AES-256-GCM, the request id, a NUL and
      the field's path as associated data) with Debian's python3-cryptography. An erased request's fields stay as they
      are.
  review BOOTSTRAP REGISTRY_URL SCHEMAS_DIR TOPIC REQUEST_ID DECISION REVIEWER GROUNDS
      Writes a reviewer's ReviewOutcome keyed by the request id (a plain string key), with a plain Producer and
      Confluent's MessageSerializer, and librdkafka's default partitioner (consistent_random: CRC32 of the key, not
      the Java client's murmur2), so the router must bring it to its request's partition.
"""
import json
import sys
import time

from confluent_kafka import Consumer, Producer
from confluent_kafka.avro import AvroProducer, CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer

from mla_avro import SHARED_TYPES, from_json, load_schemas, to_json


def produce(bootstrap, registry_url, schemas_dir, topic, requests_file):
    schema = load_schemas(schemas_dir)["AssistanceRequest"]
    producer = AvroProducer({"bootstrap.servers": bootstrap, "schema.registry.url": registry_url,
                             "enable.idempotence": True}, default_value_schema=schema)
    sent = 0
    with open(requests_file) as lines:
        for line in lines:
            if line.strip():
                producer.produce(topic=topic, value=from_json(json.loads(line), schema))
                sent += 1
    remaining = producer.flush(30)
    if remaining:
        sys.exit("%d requests not delivered" % remaining)
    print("produced %d" % sent)


def produce_keyed(bootstrap, registry_url, schemas_dir, topic, requests_file):
    schema = load_schemas(schemas_dir)["AssistanceRequest"]
    serializer = MessageSerializer(CachedSchemaRegistryClient({"url": registry_url}))
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True})
    failures = []
    sent = 0
    with open(requests_file) as lines:
        for line in lines:
            if line.strip():
                request = json.loads(line)
                value = serializer.encode_record_with_schema(topic, schema, from_json(request, schema))
                producer.produce(topic, key=request["requestId"].encode("utf-8"), value=value,
                                 on_delivery=lambda error, message: failures.append(error) if error else None)
                sent += 1
    if producer.flush(30) or failures:
        sys.exit("requests not delivered: %s" % failures)
    print("produced %d" % sent)


def produce_with_references(bootstrap, registry_url, schemas_dir, topic, requests_file):
    import io
    import struct
    import avro.io
    from confluent_kafka.schema_registry import Schema, SchemaReference, SchemaRegistryClient
    client = SchemaRegistryClient({"url": registry_url})
    references = []
    for name in SHARED_TYPES:
        with open("%s/%s.avsc" % (schemas_dir, name)) as f:
            client.register_schema("org.mlarouter.avro." + name, Schema(f.read(), "AVRO"))
        references.append(SchemaReference("org.mlarouter.avro." + name, "org.mlarouter.avro." + name, 1))
    with open("%s/AssistanceRequest.avsc" % schemas_dir) as f:
        schema_id = client.register_schema(topic + "-value", Schema(f.read(), "AVRO", references))
    schema = load_schemas(schemas_dir)["AssistanceRequest"]
    writer = avro.io.DatumWriter(schema)
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True})
    failures = []
    sent = 0
    with open(requests_file) as lines:
        for line in lines:
            if line.strip():
                request = json.loads(line)
                body = io.BytesIO()
                body.write(b"\x00" + struct.pack(">I", schema_id))
                writer.write(from_json(request, schema), avro.io.BinaryEncoder(body))
                producer.produce(topic, key=request["requestId"].encode("utf-8"), value=body.getvalue(),
                                 on_delivery=lambda error, message: failures.append(error) if error else None)
                sent += 1
    if producer.flush(30) or failures:
        sys.exit("requests not delivered: %s" % failures)
    print("produced %d with schema id %d" % (sent, schema_id))


def read_decisions(bootstrap, registry_url, schemas_dir, count, timeout_s, topics):
    """Up to count decisions from the topics (committed ones only), each with the message it came in, within timeout_s."""
    schema = load_schemas(schemas_dir)["RoutingDecision"]
    serializer = MessageSerializer(CachedSchemaRegistryClient({"url": registry_url}))
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "agency-python-%d" % time.time_ns(),
                         "auto.offset.reset": "earliest", "isolation.level": "read_committed",
                         "enable.auto.commit": False})
    consumer.subscribe(topics)
    decisions = []
    deadline = time.time() + float(timeout_s)
    try:
        while len(decisions) < int(count) and time.time() < deadline:
            message = consumer.poll(0.5)
            if message is None:
                continue
            if message.error():
                sys.exit("consume error: %s" % message.error())
            decisions.append((message, to_json(serializer.decode_message(message.value()), schema)))
    finally:
        consumer.close()
    return decisions


def require(decisions, count, timeout_s):
    if len(decisions) < int(count):
        sys.exit("received %d of %d decisions within %s s" % (len(decisions), int(count), timeout_s))


def consume(bootstrap, registry_url, schemas_dir, count, timeout_s, topics):
    decisions = read_decisions(bootstrap, registry_url, schemas_dir, count, timeout_s, topics)
    for message, decision in decisions:
        print(json.dumps({"key": message.key().decode("utf-8"), "topic": message.topic(), "decision": decision}))
    require(decisions, count, timeout_s)


PREFIX = "mla-enc:v1:"


def read_data_keys(bootstrap, keys_topic, kek_file, timeout_s):
    """Every request's data key, unwrapped, from the compacted keys topic read to its end."""
    import base64
    from confluent_kafka import TopicPartition
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    keks = {}
    with open(kek_file) as lines:
        for line in lines:
            if line.strip() and not line.startswith("#"):
                kek_id, key = line.strip().split(":", 1)
                keks[kek_id] = base64.b64decode(key)
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "agency-python-keys-%d" % time.time_ns(),
                         "isolation.level": "read_committed", "enable.auto.commit": False})
    metadata = consumer.list_topics(keys_topic, timeout=10)
    partitions = [TopicPartition(keys_topic, p, 0) for p in metadata.topics[keys_topic].partitions]
    ends = {p.partition: consumer.get_watermark_offsets(p, timeout=10)[1] for p in partitions}
    consumer.assign(partitions)
    wrapped = {}
    positions = {p.partition: 0 for p in partitions}
    deadline = time.time() + float(timeout_s)
    while any(positions[p] < ends[p] for p in ends) and time.time() < deadline:
        message = consumer.poll(0.5)
        if message is None or message.error():
            continue
        positions[message.partition()] = message.offset() + 1
        request_id = message.key().decode("utf-8")
        if message.value() is None:
            wrapped.pop(request_id, None)
        else:
            wrapped[request_id] = message.value().decode("ascii")
    consumer.close()
    keys = {}
    for request_id, value in wrapped.items():
        kek_id, sealed = value.split(":", 1)
        sealed = base64.b64decode(sealed)
        keys[request_id] = AESGCM(keks[kek_id]).decrypt(sealed[:12], sealed[12:], request_id.encode("utf-8"))
    return keys


def decrypt_field(key, request_id, field, value):
    import base64
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    if key is None or not isinstance(value, str) or not value.startswith(PREFIX):
        return value
    sealed = base64.b64decode(value[len(PREFIX):])
    return AESGCM(key).decrypt(sealed[:12], sealed[12:], (request_id + "\0" + field).encode("utf-8")).decode("utf-8")


def decrypt(bootstrap, registry_url, schemas_dir, keys_topic, kek_file, count, timeout_s, topics):
    decisions = read_decisions(bootstrap, registry_url, schemas_dir, count, timeout_s, topics)
    keys = read_data_keys(bootstrap, keys_topic, kek_file, timeout_s)
    for _, decision in decisions:
        request = decision["request"]
        key = keys.get(request["requestId"])
        for index, subject in enumerate(request["subjects"]):
            subject["fullName"] = decrypt_field(key, request["requestId"], "subjects[%d].fullName" % index, subject["fullName"])
        request["offence"]["description"] = decrypt_field(key, request["requestId"], "offence.description", request["offence"]["description"])
        print(json.dumps(decision))
    require(decisions, count, timeout_s)


def review(bootstrap, registry_url, schemas_dir, topic, request_id, decision, reviewer, grounds):
    schema = load_schemas(schemas_dir)["ReviewOutcome"]
    serializer = MessageSerializer(CachedSchemaRegistryClient({"url": registry_url}))
    outcome = from_json({"requestId": request_id, "decision": decision, "legalBasis": None, "reviewer": reviewer,
                         "grounds": grounds, "reviewedAt": int(time.time() * 1000)}, schema)
    value = serializer.encode_record_with_schema(topic, schema, outcome)
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True})
    failures = []
    producer.produce(topic, key=request_id.encode("utf-8"), value=value,
                     on_delivery=lambda error, message: failures.append(error) if error else None)
    if producer.flush(30) or failures:
        sys.exit("the outcome was not delivered: %s" % failures)
    print("reviewed %s" % request_id)


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ("produce", "produce-keyed", "produce-with-references", "consume", "review", "decrypt"):
        sys.exit(__doc__)
    if sys.argv[1] == "produce":
        produce(*sys.argv[2:7])
    elif sys.argv[1] == "produce-with-references":
        produce_with_references(*sys.argv[2:7])
    elif sys.argv[1] == "produce-keyed":
        produce_keyed(*sys.argv[2:7])
    elif sys.argv[1] == "review":
        review(*sys.argv[2:10])
    elif sys.argv[1] == "decrypt":
        decrypt(*sys.argv[2:9], sys.argv[9:])
    else:
        consume(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7:])
