#!/usr/bin/env node
// An agency's integration with mla-router in Node.js: kafkajs and @kafkajs/confluent-schema-registry, as an agency
// would use them.
//
//   node agency.js BOOTSTRAP REGISTRY_URL SCHEMAS_DIR REQUESTS_TOPIC DECISION_TOPICS REQUESTS_JSONL TIMEOUT_S
//
// Registers the AssistanceRequest schema under REQUESTS_TOPIC-value twice, with FULL compatibility requested: once
// self-contained, once referencing the shared enums registered under subjects of their own. Sends each request of
// REQUESTS_JSONL keyed by its requestId, alternating the two schema ids, the first half with kafkajs's default
// (Java-compatible) partitioner and the second with its legacy one. Then reads the decisions from DECISION_TOPICS
// (comma-separated) with readUncommitted false, decodes them, and prints one JSON line per decision:
// {"key", "topic", "route", "requestId", "requestEqual"}; the last line is {"registered": {...}}.
'use strict';
const fs = require('fs');
const path = require('path');
const { Kafka, Partitioners, logLevel } = require('kafkajs');
const { SchemaRegistry, SchemaType, COMPATIBILITY } = require('@kafkajs/confluent-schema-registry');
const avro = require('avsc');

const [bootstrap, registryUrl, schemasDir, requestsTopic, decisionTopics, requestsFile, timeoutSeconds] = process.argv.slice(2);
const SHARED = ['AssistanceKind', 'Measure', 'OffenceCategory'];
const NAMESPACE = 'org.mlarouter.avro';

function readSchema(name) {
  return fs.readFileSync(path.join(schemasDir, name + '.avsc'), 'utf8');
}

// The request schema with the shared types written inline, as a self-contained schema.
function selfContained() {
  const registry = {};
  for (const name of SHARED) {
    avro.Type.forSchema(JSON.parse(readSchema(name)), { registry });
  }
  return avro.Type.forSchema(JSON.parse(readSchema('AssistanceRequest')), { registry }).schema({ exportAttrs: true });
}

// The JSON form of the contract (ISO-8601 timestamps) to the values avsc writes (epoch milliseconds).
function toAvro(request) {
  const copy = JSON.parse(JSON.stringify(request));
  copy.submittedAt = typeof copy.submittedAt === 'string' ? Date.parse(copy.submittedAt) : copy.submittedAt;
  return copy;
}

async function main() {
  const registry = new SchemaRegistry({ host: registryUrl });
  const subject = requestsTopic + '-value';
  const selfContainedId = (await registry.register(
    { type: SchemaType.AVRO, schema: JSON.stringify(selfContained()) },
    { subject, compatibility: COMPATIBILITY.FULL })).id;
  const references = [];
  for (const name of SHARED) {
    const registered = await registry.register({ type: SchemaType.AVRO, schema: readSchema(name) },
      { subject: NAMESPACE + '.' + name, compatibility: COMPATIBILITY.FULL });
    references.push({ name: NAMESPACE + '.' + name, subject: NAMESPACE + '.' + name, version: 1 });
    if (!registered.id) {
      throw new Error('no id for ' + name);
    }
  }
  const withReferencesId = (await registry.register(
    { type: SchemaType.AVRO, schema: readSchema('AssistanceRequest'), references },
    { subject, compatibility: COMPATIBILITY.FULL })).id;

  const kafka = new Kafka({ clientId: 'node-agency', brokers: [bootstrap], logLevel: logLevel.ERROR });
  const requests = fs.readFileSync(requestsFile, 'utf8').split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line));
  const sentById = {};
  const half = Math.ceil(requests.length / 2);
  for (const [partitioner, slice] of [[Partitioners.DefaultPartitioner, requests.slice(0, half)],
    [Partitioners.LegacyPartitioner, requests.slice(half)]]) {
    const producer = kafka.producer({ createPartitioner: partitioner, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (const request of slice) {
      const index = requests.indexOf(request);
      const id = index % 2 === 0 ? selfContainedId : withReferencesId;
      const value = await registry.encode(id, toAvro(request));
      await producer.send({ topic: requestsTopic, acks: -1, messages: [{ key: request.requestId, value }] });
      sentById[request.requestId] = toAvro(request);
    }
    await producer.disconnect();
  }

  const consumer = kafka.consumer({ groupId: 'node-agency-' + Date.now(), readUncommitted: false });
  await consumer.connect();
  for (const topic of decisionTopics.split(',')) {
    await consumer.subscribe({ topic, fromBeginning: true });
  }
  let received = 0;
  const done = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('received ' + received + ' of ' + requests.length + ' decisions in time')),
      Number(timeoutSeconds) * 1000);
    consumer.run({
      eachMessage: async ({ topic, message }) => {
        const decision = await registry.decode(message.value);
        const sent = sentById[decision.requestId];
        // The personal fields come sealed (mla-enc:v1: ciphertext, the router's default): the rest is the request as sent.
        const sealed = decision.request.offence.description.startsWith('mla-enc:v1:')
          && decision.request.subjects.every((subject) => subject.fullName.startsWith('mla-enc:v1:'));
        const requestEqual = sent !== undefined
          && JSON.stringify(normalize(withoutPersonalData(decision.request))) === JSON.stringify(normalize(withoutPersonalData(sent)));
        console.log(JSON.stringify({ key: message.key.toString(), topic, route: decision.route, requestId: decision.requestId, requestEqual, sealed }));
        received++;
        if (received >= requests.length) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  try {
    await done;
  } finally {
    await consumer.disconnect();
  }
  console.log(JSON.stringify({ registered: { selfContainedId, withReferencesId } }));
}

// Plain JSON with the fields in one order, so that two records compare by value.
function withoutPersonalData(request) {
  const copy = JSON.parse(JSON.stringify(request));
  copy.offence.description = null;
  copy.subjects = copy.subjects.map((subject) => ({ ...subject, fullName: null }));
  return copy;
}

function normalize(value) {
  if (Array.isArray(value)) {
    return value.map(normalize);
  }
  if (value && typeof value === 'object') {
    const sorted = {};
    for (const key of Object.keys(value).sort()) {
      sorted[key] = normalize(value[key]);
    }
    return sorted;
  }
  return typeof value === 'bigint' ? Number(value) : value;
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
