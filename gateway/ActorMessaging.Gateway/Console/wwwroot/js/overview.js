// #/ — every topic with its subscriptions and their backlog and dead-letter counts; create a topic.
import { api } from "./api.js";
import { subscriptionTable, topicHref } from "./components.js";
import { errorBox, field, h, replace, statusLine, whileBusy } from "./dom.js";
import { formatNumber } from "./format.js";

const pageSize = 50;
const namePattern = "[A-Za-z0-9][A-Za-z0-9._\\-]{0,199}";

export function renderOverview(view, { navigate }) {
  let disposed = false;
  let prefix = "";
  const list = h("div", { class: "topic-cards", "aria-live": "polite", "aria-busy": "true" });
  const more = h("div", { class: "more" });

  const filter = h("input", { type: "search", name: "prefix", autocomplete: "off", spellcheck: false, placeholder: "e.g. orders" });
  const filterForm = h("form", { class: "toolbar", role: "search", onsubmit: (event) => { event.preventDefault(); prefix = filter.value.trim(); load(); } },
    field("Filter by name prefix", filter),
    h("button", { type: "submit", class: "btn", text: "Apply filter" }),
    h("button", { type: "button", class: "btn btn-quiet", text: "Refresh", onclick: () => load() }));

  const created = statusLine();
  const topicName = h("input", { name: "topic", required: true, autocomplete: "off", spellcheck: false, pattern: namePattern, maxLength: 200 });
  const createForm = h("form", {
    class: "inline-form",
    onsubmit: async (event) => {
      event.preventDefault();
      const name = topicName.value.trim();
      await whileBusy(createForm, async () => {
        try {
          created.busy(`Creating topic ${name}…`);
          await api.createTopic(name);
          navigate(topicHref(name));
        } catch (error) {
          created.fail(error);
        }
      });
    },
  },
    field("New topic", topicName, "Letters, digits, '.', '_' and '-'; starts with a letter or digit."),
    h("button", { type: "submit", class: "btn btn-primary", text: "Create topic" }));

  replace(view,
    h("div", { class: "page-head" }, h("h1", { tabindex: -1, text: "Topics" })),
    h("section", { class: "card", "aria-label": "Find and create topics" }, filterForm, createForm, created.element),
    list,
    more);

  async function load(pageToken) {
    if (!pageToken) {
      list.replaceChildren(h("p", { class: "muted", text: "Loading topics…" }));
      more.replaceChildren();
    }
    list.setAttribute("aria-busy", "true");
    try {
      const page = await api.listTopics({ prefix, pageSize, pageToken });
      if (disposed) {
        return;
      }
      if (!pageToken) {
        list.replaceChildren();
      }
      if (!pageToken && page.topics.length === 0) {
        list.append(h("p", { class: "muted empty", text: prefix ? `No topic starts with "${prefix}".` : "No topics yet: create one above." }));
      }
      await Promise.all(page.topics.map((name) => {
        const card = h("section", { class: "card topic-card", "data-topic": name, "aria-label": `Topic ${name}` },
          h("h2", {}, h("a", { href: topicHref(name), text: name })),
          h("p", { class: "muted", text: "Loading…" }));
        list.append(card);
        return fillCard(card, name);
      }));
      replace(more, page.nextPageToken
        ? h("button", { type: "button", class: "btn", text: "More topics", onclick: () => load(page.nextPageToken) })
        : null);
    } catch (error) {
      if (!disposed) {
        replace(list, errorBox(error));
      }
    } finally {
      list.setAttribute("aria-busy", "false");
    }
  }

  load();
  return () => {
    disposed = true;
  };
}

async function fillCard(card, name) {
  try {
    const [topic, subscriptions] = await Promise.all([api.getTopic(name), api.listSubscriptions(name)]);
    replace(card,
      h("div", { class: "card-head" },
        h("h2", {}, h("a", { href: topicHref(name), text: name })),
        h("p", { class: "muted meta" },
          `Last sequence ${formatNumber(topic.lastSequence)} · ${formatNumber(topic.subscriptionCount)} `
            + (topic.subscriptionCount === 1 ? "subscription" : "subscriptions"))),
      subscriptionTable(name, subscriptions.subscriptions));
  } catch (error) {
    replace(card, h("h2", {}, h("a", { href: topicHref(name), text: name })), errorBox(error));
  }
}
