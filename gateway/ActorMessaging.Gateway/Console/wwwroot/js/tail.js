// Live tail: a hub connection with a live subscription (Subscribe(topic, null, { filter })), which the gateway
// creates for the connection, starts at the latest message, acks as it sends, and deletes when the tail stops.
// An optional filter (the subscription filter language) limits it to the messages that match.
import { credentialHeaders, credentialKind, getApiKey } from "./auth.js";
import { fromHub } from "./errors.js";

export const hubPath = "hubs/messaging";

/** A connection to the hub with the stock client, carrying the API key when one is set. */
export function connectHub() {
  const client = globalThis.signalR;
  if (!client) {
    throw new Error("The SignalR client (console/vendor/signalr.min.js) did not load.");
  }
  // Browsers cannot set headers on a WebSocket. A JWT goes through accessTokenFactory (the client sends it as
  // Authorization: Bearer, or ?access_token= on the WebSocket); an API key as ?api_key= on the hub URL, which
  // the client keeps on the negotiate and connect requests, and as X-Api-Key where headers are possible.
  const key = getApiKey();
  const options = { headers: credentialHeaders(key) };
  let url = hubPath;
  if (credentialKind(key) === "jwt") {
    options.accessTokenFactory = () => key;
    options.headers = {};
  } else if (credentialKind(key) === "apiKey") {
    url = `${hubPath}?api_key=${encodeURIComponent(key)}`;
  }
  return new client.HubConnectionBuilder()
    .withUrl(url, options)
    .withAutomaticReconnect()
    .configureLogging(client.LogLevel.Warning)
    .build();
}

/**
 * Tails one topic. onMessages(messages) gets each Deliver batch; onState({ state, subscription, error })
 * reports "connecting", "tailing", "reconnecting" and "stopped".
 */
export class LiveTail {
  #topic;
  #onMessages;
  #onState;
  #connection = null;
  #subscription = null;
  #filter = null;
  #stopping = false;

  constructor(topic, { onMessages, onState }) {
    this.#topic = topic;
    this.#onMessages = onMessages;
    this.#onState = onState;
  }

  get running() {
    return this.#connection !== null;
  }

  /**
   * Connects and subscribes, with a filter when one is given (blank: every message); false when that failed (the
   * error, e.g. InvalidFilter with the position and what was expected, went to onState).
   */
  async start({ filter = null } = {}) {
    if (this.#connection) {
      return true;
    }
    this.#filter = filter && filter.trim() !== "" ? filter : null;
    this.#stopping = false;
    this.#report("connecting");
    const connection = connectHub();
    this.#connection = connection;
    connection.on("Deliver", (messages) => {
      const mine = (messages ?? []).filter((m) => !m.subscription || m.subscription === this.#subscription);
      if (mine.length > 0) {
        this.#onMessages(mine);
      }
    });
    connection.onreconnecting(() => this.#report("reconnecting"));
    // A new connection has no subscriptions: the old live one went with the old connection.
    connection.onreconnected(() => this.#subscribe().catch((error) => this.#fail(error)));
    connection.onclose((error) => {
      if (this.#connection === connection) {
        this.#connection = null;
        this.#subscription = null;
        this.#report("stopped", this.#stopping ? null : error);
      }
    });
    try {
      await connection.start();
      await this.#subscribe();
      return true;
    } catch (error) {
      // Reported through onState as "stopped" with the error.
      await this.#fail(error);
      return false;
    }
  }

  async stop() {
    const connection = this.#connection;
    if (!connection) {
      return;
    }
    this.#stopping = true;
    const subscription = this.#subscription;
    try {
      if (subscription && connection.state === "Connected") {
        await connection.invoke("Unsubscribe", this.#topic, subscription);
      }
    } catch {
      // Stopping the connection below deletes the live subscription anyway.
    } finally {
      await connection.stop();
    }
  }

  async #subscribe() {
    const options = this.#filter ? { filter: this.#filter } : null;
    this.#subscription = await this.#connection.invoke("Subscribe", this.#topic, null, options);
    this.#report("tailing");
  }

  async #fail(error) {
    const connection = this.#connection;
    this.#connection = null;
    this.#subscription = null;
    this.#report("stopped", error);
    if (connection) {
      this.#stopping = true;
      await connection.stop().catch(() => {});
    }
  }

  #report(state, error = null) {
    this.#onState({ state, subscription: this.#subscription, error: error ? fromHub(error) : null });
  }
}
