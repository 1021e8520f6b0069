// Pieces shared by the views.
import { h, hidden } from "./dom.js";
import { formatNumber, formatSeconds } from "./format.js";

export const topicHref = (topic) => `#/topics/${encodeURIComponent(topic)}`;

export const subscriptionHref = (topic, subscription) =>
  `#/topics/${encodeURIComponent(topic)}/subscriptions/${encodeURIComponent(subscription)}`;

/** A table of a topic's subscriptions with their counters; each name links to the subscription's page. */
export function subscriptionTable(topic, subscriptions, caption) {
  if (subscriptions.length === 0) {
    return h("p", { class: "muted empty", text: "No subscriptions yet: messages published now are kept only for retention." });
  }
  return h("div", { class: "table-wrap" },
    h("table", { class: "data subscriptions" },
      h("caption", { class: caption ? "" : "visually-hidden", text: caption ?? `Subscriptions of ${topic}` }),
      h("thead", {},
        h("tr", {},
          h("th", { scope: "col", text: "Subscription" }),
          h("th", { scope: "col", class: "num", text: "Backlog" }),
          h("th", { scope: "col", class: "num", text: "In flight" }),
          h("th", { scope: "col", class: "num", text: "Dead letters" }),
          h("th", { scope: "col", class: "num", text: "Oldest unacked" }))),
      h("tbody", {}, subscriptions.map((subscription) => subscriptionRow(topic, subscription)))));
}

function subscriptionRow(topic, subscription) {
  const stats = subscription.stats ?? {};
  const dead = stats.deadLettered ?? 0;
  return h("tr", { "data-subscription": subscription.name },
    h("th", { scope: "row" },
      h("a", { href: subscriptionHref(topic, subscription.name), text: subscription.name })),
    h("td", { class: "num" }, stat("backlog", formatNumber(stats.backlog))),
    h("td", { class: "num" }, stat("inFlight", formatNumber(stats.inFlight))),
    h("td", { class: `num${dead > 0 ? " warn" : ""}` },
      dead > 0
        ? h("a", { href: subscriptionHref(topic, subscription.name) },
          stat("deadLettered", formatNumber(dead)), hidden(` ${dead === 1 ? "dead letter" : "dead letters"} in ${subscription.name}`))
        : stat("deadLettered", formatNumber(dead))),
    h("td", { class: "num" }, stat("oldestUnacked", formatSeconds(stats.oldestUnackedAgeSeconds))));
}

/** A counter's value, marked with its name (data-stat) so scripts and tests can find it. */
export function stat(name, text) {
  return h("span", { "data-stat": name, text });
}

/** A description list of label/value pairs. */
export function facts(pairs, className = "facts") {
  return h("dl", { class: className }, pairs.map(([label, value]) => h("div", {}, h("dt", { text: label }), h("dd", {}, value))));
}
