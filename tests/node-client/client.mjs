// The stock @microsoft/signalr client in Node against an ActorMessaging gateway.
// Usage: node client.mjs <gateway base URL> <topic> <durable subscription> [json|messagepack]
// Subscribes to the durable subscription and to a live one, publishes messages, receives them on both, acks the
// durable deliveries, provokes a typed error, and prints one JSON summary line. With "messagepack" the connection
// uses @microsoft/signalr-protocol-msgpack, also publishes raw bytes (a Uint8Array) and a nested JSON value, and
// provokes the same error over a second, JSON connection so the two can be compared.
import * as signalR from "@microsoft/signalr";
import { MessagePackHubProtocol } from "@microsoft/signalr-protocol-msgpack";

const [base, topic, subscription, protocol = "json"] = process.argv.slice(2);
if (!base || !topic || !subscription || !["json", "messagepack"].includes(protocol)) {
  console.error("usage: node client.mjs <gateway base URL> <topic> <durable subscription> [json|messagepack]");
  process.exit(2);
}

const messagePack = protocol === "messagepack";

// Bounded: a hung gateway fails the test instead of stalling it.
const deadline = setTimeout(() => {
  console.error("timed out after 60 s");
  process.exit(3);
}, 60_000);

function connect(useMessagePack) {
  const builder = new signalR.HubConnectionBuilder()
    .withUrl(`${base}/hubs/messaging`, { transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true })
    .configureLogging(signalR.LogLevel.Warning);
  return (useMessagePack ? builder.withHubProtocol(new MessagePackHubProtocol()) : builder).build();
}

async function subscribeToMissingTopic(hub) {
  try {
    await hub.invoke("Subscribe", `${topic}-missing`, null, null);
    return null;
  } catch (e) {
    return e.message;
  }
}

// What the script saw of a delivered message, in JSON: binary payloads as base64 under "bytes", the keys present.
function describe(m) {
  const binary = m.data instanceof Uint8Array;
  return {
    sequence: m.sequence,
    id: m.id ?? null,
    data: binary ? null : m.data ?? null,
    bytes: binary ? Buffer.from(m.data).toString("base64") : null,
    dataBase64: m.dataBase64 ?? null,
    contentType: m.contentType ?? null,
    attributes: m.attributes,
    orderingKey: m.orderingKey ?? null,
    publishedAt: new Date(m.publishedAt).toISOString(),
    publishedAtIsDate: m.publishedAt instanceof Date,
    deliveryAttempt: m.deliveryAttempt,
    expiresAt: m.expiresAt === undefined ? null : new Date(m.expiresAt).toISOString(),
    expiresAtIsDate: m.expiresAt instanceof Date,
    topic: m.topic,
    subscription: m.subscription,
    keys: Object.keys(m).sort(),
  };
}

const connection = connect(messagePack);
const received = [];
let expected = 0;
let settle;
const allReceived = new Promise((resolve) => (settle = resolve));
connection.on("Deliver", (messages) => {
  received.push(...messages);
  if (expected > 0 && received.length >= expected) {
    settle();
  }
});

await connection.start();
await connection.invoke("Subscribe", topic, subscription, { maxInFlight: 10 });
const live = await connection.invoke("Subscribe", topic, null, null);

const messages = [
  { id: "node-1", data: { n: 1 } },
  { data: { n: 2 }, attributes: { from: "node" } },
  { dataBase64: Buffer.from("plain text").toString("base64"), contentType: "text/plain", orderingKey: "k" },
];
if (messagePack) {
  // Bytes that are not UTF-8 travel as MessagePack binary, no base64 on either side.
  // Times go as MessagePack timestamps (JS Dates) both ways: a deliverAt already past is accepted and dropped.
  messages.push({ id: "node-bytes", data: new Uint8Array([0, 1, 127, 128, 254, 255]), ttlSeconds: 3600, deliverAt: new Date(Date.now() - 60_000) });
  messages.push({ id: "node-json", data: { nested: { list: [1, "two", true, null], ratio: 0.5, negative: -7 }, text: "zwölf €" } });
  // Bytes inside a JSON value have no JSON form: they become a base64 string under their own key.
  messages.push({ id: "node-nested-bytes", data: { data: new Uint8Array([9]) } });
}

const published = await connection.invoke("Publish", topic, messages);
expected = published.length * 2;
if (received.length >= expected) {
  settle();
}
await allReceived;

const durable = received.filter((m) => m.subscription === subscription);
const liveMessages = received.filter((m) => m.subscription === live);
const ackFailures = await connection.invoke("Ack", topic, subscription, durable.map((m) => m.ackId));
const error = await subscribeToMissingTopic(connection);

// Raw bytes and dataBase64 in one message are two payloads: refused as "data" and "dataBase64" together are over JSON.
let twoPayloadsError = null;
if (messagePack) {
  try {
    await connection.invoke("Publish", topic, [{ data: new Uint8Array([1, 2]), dataBase64: "AwQ=" }]);
  } catch (e) {
    twoPayloadsError = e.message;
  }
}
await connection.stop();

let errorOverJson = null;
if (messagePack) {
  const json = connect(false);
  await json.start();
  errorOverJson = await subscribeToMissingTopic(json);
  await json.stop();
}

clearTimeout(deadline);
console.log(JSON.stringify({
  published: published.map((r) => r.sequence),
  live,
  durable: durable.map(describe),
  liveMessages: liveMessages.map(describe),
  liveSequences: liveMessages.map((m) => m.sequence),
  ackFailures,
  error,
  errorOverJson,
  twoPayloadsError,
}));
