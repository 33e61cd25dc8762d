#!/usr/bin/env node
// Creates the Kafka topics declared in contracts/kafka/topics.json (partitions, retention.ms, cleanup.policy if set).
// The local broker runs with auto.create.topics.enable=false, so this is the only way topics come into existence.
//
// Idempotent: topics that already exist are left as they are. A partition count or retention.ms that differs from
// the contract is reported (partitions can only grow in Kafka, and silently changing them would reshuffle keys), and
// the fix is `deploy/local/infra.sh reset && deploy/local/infra.sh up`.
//
// Usage: node deploy/local/create-topics.mjs [--brokers 127.0.0.1:9092] [--file contracts/kafka/topics.json]
//   KAFKA_BROKERS is used when --brokers is absent.
// kafkajs is resolved from the repository's node_modules; when the dependencies are not installed yet, infra.sh puts a
// private copy under .cache/infra/npm and passes its directory in LT_KAFKAJS_DIR.
// Exit codes: 0 done (differences are warnings), 1 broker or contract error.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function loadKafkajs() {
  const bases = [repoRoot, process.env.LT_KAFKAJS_DIR].filter(Boolean);
  for (const base of bases) {
    try {
      return createRequire(join(base, 'package.json'))('kafkajs');
    } catch (err) {
      if (err.code !== 'MODULE_NOT_FOUND') throw err;
    }
  }
  throw new Error(`kafkajs not found from ${bases.join(' or ')}; run npm ci first`);
}

function readContract(file) {
  const { topics } = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(topics) || topics.length === 0) throw new Error(`${file}: no "topics" array`);
  for (const t of topics) {
    if (typeof t.name !== 'string' || !Number.isInteger(t.partitions) || t.partitions < 1 || !Number.isInteger(t.retentionMs)) {
      throw new Error(`${file}: invalid topic entry ${JSON.stringify(t)}`);
    }
  }
  return topics;
}

async function main() {
  const file = resolve(arg('file', join(repoRoot, 'contracts/kafka/topics.json')));
  const brokers = arg('brokers', process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  const wanted = readContract(file);

  const { Kafka, logLevel, ConfigResourceTypes } = loadKafkajs();
  const kafka = new Kafka({
    clientId: 'lienthong-create-topics',
    brokers,
    logLevel: logLevel.NOTHING, // retries are expected while the broker starts; the final error is printed below
    connectionTimeout: 3000,
    retry: { retries: 5, initialRetryTime: 300 },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((t) => !existing.has(t.name));
    const present = wanted.filter((t) => existing.has(t.name));

    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({
          topic: t.name,
          numPartitions: t.partitions,
          replicationFactor: 1,
          configEntries: [
            { name: 'retention.ms', value: String(t.retentionMs) },
            ...(t.cleanupPolicy ? [{ name: 'cleanup.policy', value: t.cleanupPolicy }] : []),
          ],
        })),
      });
      for (const t of missing) console.log(`created  ${t.name} (partitions=${t.partitions}, retention.ms=${t.retentionMs})`);
    }

    let drift = 0;
    if (present.length > 0) {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics: present.map((t) => t.name) });
      const partitions = new Map(meta.map((m) => [m.name, m.partitions.length]));
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: present.map((t) => ({ type: ConfigResourceTypes.TOPIC, name: t.name, configNames: ['retention.ms'] })),
      });
      const retention = new Map(
        resources.map((r) => [r.resourceName, r.configEntries.find((e) => e.configName === 'retention.ms')?.configValue]),
      );
      for (const t of present) {
        const notes = [];
        if (partitions.get(t.name) !== t.partitions) notes.push(`partitions ${partitions.get(t.name)}, contract says ${t.partitions}`);
        if (retention.get(t.name) !== String(t.retentionMs)) notes.push(`retention.ms ${retention.get(t.name)}, contract says ${t.retentionMs}`);
        if (notes.length === 0) {
          console.log(`exists   ${t.name}`);
        } else {
          drift += 1;
          console.warn(`DIFFERS  ${t.name}: ${notes.join('; ')} (left unchanged; infra.sh reset + up recreates it)`);
        }
      }
    }
    console.log(`topics: ${missing.length} created, ${present.length - drift} unchanged, ${drift} differing from ${file}`);
  } finally {
    await admin.disconnect();
  }
}

main().catch((err) => {
  console.error(`create-topics: ${err.message}`);
  process.exit(1);
});
