// A Confluent-ecosystem client, independent of the Java code, used by ConfluentEcosystemWireCompatibilityTest.
//   node wire-client.js read  <bootstrap> <registryUrl> <topic> <count>
//       prints each value decoded through the registry as one JSON line on stdout
//   node wire-client.js write <bootstrap> <registryUrl> <topic> <key> <schemaFile> <valueJson>
//       registers the schema under <topic>-value, encodes the value in the Confluent wire format and produces it
'use strict';
const fs = require('fs');
const { Kafka, logLevel, CompressionTypes, CompressionCodecs } = require('kafkajs');
const lz4js = require('lz4js');
const { SchemaRegistry, SchemaType } = require('@kafkajs/confluent-schema-registry');

// The project's producers compress with LZ4; kafkajs needs a codec for it (pure JS here, no native build).
CompressionCodecs[CompressionTypes.LZ4] = () => ({
  compress: async (encoder) => Buffer.from(lz4js.compress(encoder.buffer)),
  decompress: async (buffer) => Buffer.from(lz4js.decompress(buffer)),
});

async function read(kafka, registry, topic, count) {
  const consumer = kafka.consumer({ groupId: `wire-client-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  await new Promise((resolve, reject) => {
    consumer.run({
      eachMessage: async ({ message }) => {
        const value = await registry.decode(message.value);
        process.stdout.write(JSON.stringify({ key: message.key.toString(), value }) + '\n');
        seen += 1;
        if (seen >= count) resolve();
      },
    }).catch(reject);
  });
  await consumer.disconnect();
}

async function write(kafka, registry, topic, key, schemaFile, valueJson) {
  const schema = fs.readFileSync(schemaFile, 'utf8');
  const { id } = await registry.register({ type: SchemaType.AVRO, schema }, { subject: `${topic}-value` });
  const value = await registry.encode(id, JSON.parse(valueJson));
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ key, value }] });
  await producer.disconnect();
  process.stdout.write(JSON.stringify({ schemaId: id }) + '\n');
}

async function main() {
  const [mode, bootstrap, registryUrl, topic, ...rest] = process.argv.slice(2);
  const kafka = new Kafka({ clientId: 'wire-client', brokers: bootstrap.split(','), logLevel: logLevel.ERROR });
  const registry = new SchemaRegistry({ host: registryUrl });
  if (mode === 'read') {
    await read(kafka, registry, topic, Number(rest[0]));
  } else if (mode === 'write') {
    await write(kafka, registry, topic, rest[0], rest[1], rest[2]);
  } else {
    throw new Error(`unknown mode ${mode}: use read or write`);
  }
}

const timer = setTimeout(() => { console.error('wire-client: timed out after 60 s'); process.exit(2); }, 60000);
main().then(() => { clearTimeout(timer); process.exit(0); }, (e) => { console.error(e.stack || e); process.exit(1); });
