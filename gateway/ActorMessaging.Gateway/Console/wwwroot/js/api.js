// The public HTTP API under /v1, exactly as any other client calls it. URLs are relative to the page (served
// at the gateway's root), so the console also works behind a path prefix.
import { credentialHeaders } from "./auth.js";
import { ConsoleError, fromResponse } from "./errors.js";

const seg = encodeURIComponent;

async function call(method, path, body) {
  const headers = { Accept: "application/json", ...credentialHeaders() };
  const init = { method, headers, cache: "no-store" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }

  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    throw new ConsoleError({ title: "Network error", detail: `The gateway could not be reached (${error.message}).` });
  }

  const type = response.headers.get("Content-Type") ?? "";
  const payload = response.status !== 204 && type.includes("json") ? await response.json().catch(() => null) : null;
  if (!response.ok) {
    throw fromResponse(response, payload);
  }
  return payload;
}

function query(parameters) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined && value !== null && value !== "") {
      search.set(name, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

export const api = {
  listTopics: ({ prefix, pageSize, pageToken } = {}) => call("GET", `v1/topics${query({ prefix, pageSize, pageToken })}`),
  getTopic: (topic) => call("GET", `v1/topics/${seg(topic)}`),
  createTopic: (topic, settings = {}) => call("PUT", `v1/topics/${seg(topic)}`, settings),
  listSubscriptions: (topic) => call("GET", `v1/topics/${seg(topic)}/subscriptions`),
  getSubscription: (topic, subscription) => call("GET", `v1/topics/${seg(topic)}/subscriptions/${seg(subscription)}`),
  createSubscription: (topic, subscription, settings = {}) =>
    call("PUT", `v1/topics/${seg(topic)}/subscriptions/${seg(subscription)}`, settings),
  publish: (topic, messages) => call("POST", `v1/topics/${seg(topic)}/messages`, { messages }),
  listDeadLetters: (topic, subscription, { pageSize, pageToken } = {}) =>
    call("GET", `v1/topics/${seg(topic)}/subscriptions/${seg(subscription)}/deadletters${query({ pageSize, pageToken })}`),
  resubmitDeadLetters: (topic, subscription, sequences) =>
    call("POST", `v1/topics/${seg(topic)}/subscriptions/${seg(subscription)}/deadletters/resubmit`, sequences ? { sequences } : {}),
  purgeDeadLetters: (topic, subscription) =>
    call("DELETE", `v1/topics/${seg(topic)}/subscriptions/${seg(subscription)}/deadletters`),
};
