// #/topics/{topic} — the topic's settings and subscriptions, a publish form and a live tail.
import { api } from "./api.js";
import { facts, subscriptionTable, topicHref } from "./components.js";
import { breadcrumbs, errorBox, field, h, replace, statusLine, uid, whileBusy } from "./dom.js";
import { InputError, formatBytes, formatNumber, formatSeconds, formatTime, payloadText, publishMessage } from "./format.js";
import { LiveTail } from "./tail.js";

const namePattern = "[A-Za-z0-9][A-Za-z0-9._\\-]{0,199}";
const maxTailEntries = 200;

export function renderTopic(view, { topic }) {
  let disposed = false;
  const summary = h("div", { class: "summary" }, h("p", { class: "muted", text: "Loading…" }));
  // Counters change under the page: every action that can change them reloads the summary and the table.
  const refresh = () => {
    if (disposed) {
      return;
    }
    loadSummary();
    subscriptions.load();
  };
  const subscriptions = subscriptionsSection(topic, refresh);
  const publish = publishSection(topic, refresh);
  const tail = tailSection(topic, refresh);

  const columns = h("div", { class: "columns" }, publish, tail.element);
  replace(view,
    h("div", { class: "page-head" },
      breadcrumbs(["Topics", "#/"], [topic, topicHref(topic)]),
      h("h1", { tabindex: -1 }, h("span", { class: "kind", text: "Topic " }), topic),
      summary),
    subscriptions.element,
    columns);

  async function loadSummary() {
    try {
      const description = await api.getTopic(topic);
      if (disposed) {
        return;
      }
      const settings = description.settings ?? {};
      replace(summary, facts([
        ["Last sequence", formatNumber(description.lastSequence)],
        ["Subscriptions", formatNumber(description.subscriptionCount)],
        ["Created", formatTime(description.createdAt)],
        ["Retention", formatSeconds(settings.retentionSeconds) + (settings.retainAckedMessages === false ? ", acked messages deleted" : "")],
        ["Max message size", formatBytes(settings.maxMessageBytes)],
        ["Duplicate detection", settings.dedupWindowSeconds ? formatSeconds(settings.dedupWindowSeconds) : "off"],
      ]));
    } catch (error) {
      if (disposed) {
        return;
      }
      replace(summary, errorBox(error));
      if (error.status === 404) {
        // No such topic: nothing below could work; say so once.
        subscriptions.element.remove();
        columns.remove();
        summary.append(h("p", {}, h("a", { href: "#/", text: "Back to the topics" })));
      }
    }
  }

  refresh();
  return () => {
    disposed = true;
    tail.dispose();
  };
}

function subscriptionsSection(topic, refresh) {
  const headingId = uid("subscriptions");
  const table = h("div", { class: "table-slot", "aria-live": "polite" }, h("p", { class: "muted", text: "Loading subscriptions…" }));
  const created = statusLine();

  const name = h("input", { name: "subscription", required: true, autocomplete: "off", spellcheck: false, pattern: namePattern, maxLength: 200 });
  const startAt = h("select", { name: "startAt" },
    h("option", { value: "latest", text: "Latest: messages published from now on", selected: true }),
    h("option", { value: "earliest", text: "Earliest: every message the topic retains" }));
  const attempts = h("input", { name: "maxDeliveryAttempts", type: "number", min: 1, max: 100, value: "10", required: true });
  const form = h("form", {
    class: "inline-form",
    onsubmit: async (event) => {
      event.preventDefault();
      const subscription = name.value.trim();
      await whileBusy(form, async () => {
        try {
          created.busy(`Creating subscription ${subscription}…`);
          await api.createSubscription(topic, subscription, { startAt: startAt.value, maxDeliveryAttempts: Number(attempts.value) });
          created.ok(`Subscription ${subscription} is ready.`);
          name.value = "";
          refresh();
        } catch (error) {
          created.fail(error);
        }
      });
    },
  },
    field("New subscription", name),
    field("Starts at", startAt),
    field("Max delivery attempts", attempts),
    h("button", { type: "submit", class: "btn btn-primary", text: "Create subscription" }));

  const element = h("section", { class: "card", "aria-labelledby": headingId },
    h("div", { class: "card-head" },
      h("h2", { id: headingId, text: "Subscriptions" }),
      h("button", { type: "button", class: "btn btn-quiet", text: "Refresh", onclick: () => refresh() })),
    table,
    h("details", { class: "create" }, h("summary", { text: "Create a subscription" }), form, created.element));

  async function load() {
    table.setAttribute("aria-busy", "true");
    try {
      const list = await api.listSubscriptions(topic);
      replace(table, subscriptionTable(topic, list.subscriptions));
    } catch (error) {
      replace(table, errorBox(error));
    } finally {
      table.setAttribute("aria-busy", "false");
    }
  }

  return { element, load };
}

function publishSection(topic, published) {
  const headingId = uid("publish");
  const result = statusLine();
  const formatName = uid("format");
  const json = h("input", { type: "radio", name: formatName, value: "json", checked: true, id: uid("format-json") });
  const text = h("input", { type: "radio", name: formatName, value: "text", id: uid("format-text") });
  const payload = h("textarea", { name: "payload", rows: 6, spellcheck: false, class: "code", value: '{\n  "hello": "world"\n}' });
  const id = h("input", { name: "id", autocomplete: "off", spellcheck: false, maxLength: 128 });
  const orderingKey = h("input", { name: "orderingKey", autocomplete: "off", spellcheck: false, maxLength: 1024 });
  const attributes = h("textarea", { name: "attributes", rows: 3, spellcheck: false, class: "code", placeholder: "source=console" });
  const inputs = { payload, attributes };

  const form = h("form", {
    onsubmit: async (event) => {
      event.preventDefault();
      for (const input of Object.values(inputs)) {
        input.removeAttribute("aria-invalid");
      }
      let message;
      try {
        message = publishMessage({
          payload: payload.value,
          format: json.checked ? "json" : "text",
          id: id.value,
          orderingKey: orderingKey.value,
          attributes: attributes.value,
        });
      } catch (error) {
        if (error instanceof InputError && inputs[error.field]) {
          inputs[error.field].setAttribute("aria-invalid", "true");
          inputs[error.field].focus();
        }
        result.fail(error);
        return;
      }
      await whileBusy(form, async () => {
        try {
          result.busy("Publishing…");
          const response = await api.publish(topic, [message]);
          const [outcome] = response.results;
          result.ok(outcome.duplicate
            ? `Duplicate of sequence ${outcome.sequence}: the topic already had this message id, nothing new was stored.`
            : `Published as sequence ${outcome.sequence}.`);
          published();
        } catch (error) {
          result.fail(error);
        }
      });
    },
  },
    h("fieldset", { class: "segmented" },
      h("legend", { text: "Payload format" }),
      h("span", {}, json, h("label", { for: json.id, text: "JSON" })),
      h("span", {}, text, h("label", { for: text.id, text: "Text" }))),
    field("Payload", payload),
    h("details", { class: "options" },
      h("summary", { text: "Message id, ordering key and attributes" }),
      field("Message id", id, "Optional; a repeated id within the topic's duplicate-detection window is not stored again."),
      field("Ordering key", orderingKey, "Optional; messages with the same key are delivered in publish order."),
      field("Attributes", attributes, "Optional; one key=value per line.")),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn btn-primary", text: "Publish" })),
    result.element);

  return h("section", { class: "card", "aria-labelledby": headingId },
    h("h2", { id: headingId, text: "Publish a message" }),
    form);
}

function tailSection(topic, changed) {
  const headingId = uid("tail");
  const state = h("span", { class: "tail-state", role: "status", text: "Stopped." });
  const problem = h("div", {});
  const count = h("span", { class: "muted", text: "" });
  const log = h("ol", { class: "tail-log", role: "log", "aria-label": `Messages arriving on ${topic}` });
  let received = 0;

  const tail = new LiveTail(topic, {
    onMessages(messages) {
      for (const message of messages) {
        received += 1;
        log.prepend(tailEntry(message));
      }
      while (log.childElementCount > maxTailEntries) {
        log.lastElementChild.remove();
      }
      count.textContent = `${formatNumber(received)} received`;
    },
    onState({ state: now, subscription, error }) {
      const text = {
        connecting: "Connecting…",
        tailing: `Tailing ${topic} (live subscription ${subscription}${filter.value.trim() ? ", filtered" : ""}).`,
        reconnecting: "Connection lost; reconnecting…",
        stopped: "Stopped.",
      }[now];
      state.textContent = text;
      state.dataset.state = now;
      toggle.textContent = now === "stopped" ? "Start live tail" : "Stop live tail";
      toggle.disabled = now === "connecting";
      filter.disabled = now !== "stopped";
      replace(problem, error ? errorBox(error) : null);
      if (now === "tailing" || now === "stopped") {
        // The live subscription appeared or went away.
        changed();
      }
    },
  });

  const toggle = h("button", {
    type: "button",
    class: "btn btn-primary",
    text: "Start live tail",
    onclick: () => (tail.running ? tail.stop() : tail.start({ filter: filter.value })),
  });
  const filter = h("input", {
    name: "filter", autocomplete: "off", spellcheck: false, maxLength: 4096, placeholder: "color = 'red' AND sys.orderingKey LIKE 'eu-%'",
  });
  const clear = h("button", {
    type: "button",
    class: "btn btn-quiet",
    text: "Clear",
    onclick: () => {
      log.replaceChildren();
      received = 0;
      count.textContent = "";
    },
  });

  const element = h("section", { class: "card", "aria-labelledby": headingId },
    h("div", { class: "card-head" }, h("h2", { id: headingId, text: "Live tail" }), count),
    h("p", { class: "muted", text: "Messages appear as they are published. The tail reads through a live hub subscription: it starts at the latest message, is acked as it delivers and is deleted when the tail stops." }),
    field("Tail filter", filter, "Optional; only messages that match it appear, in the language of subscription filters. Set before starting."),
    h("div", { class: "actions" }, toggle, clear, state),
    problem,
    log);

  return {
    element,
    // Leaving the page stops the tail; so does a new API key, which re-renders the page (app.js).
    dispose() {
      tail.stop();
    },
  };
}

function tailEntry(message) {
  const { kind, text } = payloadText(message);
  const attributes = Object.entries(message.attributes ?? {});
  return h("li", { class: "tail-entry", "data-sequence": message.sequence },
    h("div", { class: "entry-head" },
      h("span", { class: "sequence", text: `#${message.sequence}` }),
      message.id ? h("span", { class: "chip", title: "Message id", text: `id ${message.id}` }) : null,
      message.orderingKey ? h("span", { class: "chip", title: "Ordering key", text: `key ${message.orderingKey}` }) : null,
      attributes.map(([key, value]) => h("span", { class: "chip chip-attr", text: `${key}=${value}` })),
      h("time", { class: "muted", dateTime: message.publishedAt, text: formatTime(message.publishedAt) })),
    kind === "empty"
      ? h("p", { class: "muted", text: "(empty payload)" })
      : h("pre", { class: `payload payload-${kind}` }, h("code", { text })));
}
