// The stock @microsoft/signalr client in Node against an ActorMessaging gateway.
// Usage: node client.mjs <gateway base URL> <topic> <durable subscription>
// Subscribes to the durable subscription and to a live one, publishes three messages, receives them on
// both, acks the durable deliveries, provokes a typed error, and prints one JSON summary line.
import * as signalR from "@microsoft/signalr";

const [base, topic, subscription] = process.argv.slice(2);
if (!base || !topic || !subscription) {
  console.error("usage: node client.mjs <gateway base URL> <topic> <durable subscription>");
  process.exit(2);
}

// Bounded: a hung gateway fails the test instead of stalling it.
const deadline = setTimeout(() => {
  console.error("timed out after 60 s");
  process.exit(3);
}, 60_000);

const connection = new signalR.HubConnectionBuilder()
  .withUrl(`${base}/hubs/messaging`, { transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true })
  .configureLogging(signalR.LogLevel.Warning)
  .build();

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

const published = await connection.invoke("Publish", topic, [
  { id: "node-1", data: { n: 1 } },
  { data: { n: 2 }, attributes: { from: "node" } },
  { dataBase64: Buffer.from("plain text").toString("base64"), contentType: "text/plain", orderingKey: "k" },
]);
expected = published.length * 2;
if (received.length >= expected) {
  settle();
}
await allReceived;

const durable = received.filter((m) => m.subscription === subscription);
const liveMessages = received.filter((m) => m.subscription === live);
const ackFailures = await connection.invoke("Ack", topic, subscription, durable.map((m) => m.ackId));

let error = null;
try {
  await connection.invoke("Subscribe", `${topic}-missing`, null, null);
} catch (e) {
  error = e.message;
}

await connection.stop();
clearTimeout(deadline);
console.log(JSON.stringify({
  published: published.map((r) => r.sequence),
  live,
  durable: durable.map((m) => ({ sequence: m.sequence, id: m.id ?? null, data: m.data ?? null, dataBase64: m.dataBase64 ?? null, attributes: m.attributes, orderingKey: m.orderingKey ?? null, topic: m.topic })),
  liveSequences: liveMessages.map((m) => m.sequence),
  ackFailures,
  error,
}));
