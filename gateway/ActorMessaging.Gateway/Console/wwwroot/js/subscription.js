// #/topics/{topic}/subscriptions/{subscription} — counters and settings; peek, resubmit and purge dead letters.
import { api } from "./api.js";
import { facts, stat, subscriptionHref, topicHref } from "./components.js";
import { breadcrumbs, errorBox, h, hidden, replace, statusLine, uid } from "./dom.js";
import { formatNumber, formatSeconds, formatTime, payloadPreview, payloadText } from "./format.js";

const pageSize = 50;
const columns = 7;

const reasons = {
  maxDeliveryAttempts: "Max delivery attempts",
  expired: "Expired",
  rejected: "Rejected",
};

export function renderSubscription(view, { topic, subscription }) {
  let disposed = false;
  const summary = h("div", { class: "summary" }, h("p", { class: "muted", text: "Loading…" }));
  const outcome = statusLine();
  const headingId = uid("dead-letters");
  const count = h("span", { class: "muted" });
  const slot = h("div", { class: "table-slot", "aria-live": "polite" }, h("p", { class: "muted", text: "Loading dead letters…" }));
  const more = h("div", { class: "more" });

  const resubmitAll = h("button", { type: "button", class: "btn", text: "Resubmit all", onclick: () => act(
    () => api.resubmitDeadLetters(topic, subscription),
    (r) => `Resubmitted ${formatNumber(r.resubmitted)} ${r.resubmitted === 1 ? "dead letter" : "dead letters"}: delivered again with fresh attempts.`) });
  const purgeAll = h("button", { type: "button", class: "btn btn-danger", text: "Purge all", onclick: () => {
    if (confirm(`Delete every dead letter of ${subscription}? This cannot be undone.`)) {
      act(() => api.purgeDeadLetters(topic, subscription),
        (r) => `Purged ${formatNumber(r.purged)} ${r.purged === 1 ? "dead letter" : "dead letters"}.`);
    }
  } });

  replace(view,
    h("div", { class: "page-head" },
      breadcrumbs(["Topics", "#/"], [topic, topicHref(topic)], [subscription, subscriptionHref(topic, subscription)]),
      h("h1", { tabindex: -1 }, h("span", { class: "kind", text: "Subscription " }), subscription),
      summary),
    h("section", { class: "card", "aria-labelledby": headingId },
      h("div", { class: "card-head" }, h("h2", { id: headingId, text: "Dead letters" }), count),
      h("p", { class: "muted", text: "Messages that ran out of delivery attempts. Peek at one to see its payload; resubmit it to deliver it again with fresh attempts." }),
      h("div", { class: "actions" },
        h("button", { type: "button", class: "btn btn-quiet", text: "Refresh", onclick: () => refresh() }),
        resubmitAll,
        purgeAll),
      outcome.element,
      slot,
      more));

  async function act(call, describe) {
    outcome.busy("Working…");
    try {
      outcome.ok(describe(await call()));
    } catch (error) {
      outcome.fail(error);
    }
    await refresh();
  }

  async function loadSummary() {
    try {
      const description = await api.getSubscription(topic, subscription);
      if (disposed) {
        return;
      }
      const stats = description.stats ?? {};
      const settings = description.settings ?? {};
      replace(summary,
        facts([
          ["Backlog", stat("backlog", formatNumber(stats.backlog))],
          ["In flight", stat("inFlight", formatNumber(stats.inFlight))],
          ["Dead letters", stat("deadLettered", formatNumber(stats.deadLettered))],
          ["Oldest unacked", stat("oldestUnacked", formatSeconds(stats.oldestUnackedAgeSeconds))],
        ], "facts facts-counters"),
        facts([
          ["Starts at", settings.startAt ?? "—"],
          ["Ack deadline", formatSeconds(settings.ackDeadlineSeconds)],
          ["Max delivery attempts", formatNumber(settings.maxDeliveryAttempts)],
          ["Retry backoff", `${formatSeconds(settings.minBackoffSeconds)} to ${formatSeconds(settings.maxBackoffSeconds)}`],
          ["Dead lettering", settings.deadLettering ? "on" : "off"],
          ["Created", formatTime(description.createdAt)],
        ]));
    } catch (error) {
      if (!disposed) {
        replace(summary, errorBox(error));
      }
    }
  }

  async function loadDeadLetters(pageToken) {
    slot.setAttribute("aria-busy", "true");
    try {
      const page = await api.listDeadLetters(topic, subscription, { pageSize, pageToken });
      if (disposed) {
        return;
      }
      let body = slot.querySelector("tbody");
      if (!pageToken || !body) {
        if (page.deadLetters.length === 0) {
          replace(slot, h("p", { class: "muted empty", text: "No dead letters." }));
          replace(more);
          return;
        }
        body = h("tbody");
        replace(slot, h("div", { class: "table-wrap" }, h("table", { class: "data dead-letters" },
          h("caption", { class: "visually-hidden", text: `Dead letters of ${subscription}` }),
          h("thead", {}, h("tr", {},
            h("th", { scope: "col", class: "num", text: "Sequence" }),
            h("th", { scope: "col", text: "Message id" }),
            h("th", { scope: "col", text: "Reason" }),
            h("th", { scope: "col", class: "num", text: "Attempts" }),
            h("th", { scope: "col", text: "Dead-lettered" }),
            h("th", { scope: "col", text: "Payload" }),
            h("th", { scope: "col", text: "Actions" }))),
          body)));
      }
      for (const letter of page.deadLetters) {
        body.append(...deadLetterRows(letter));
      }
      replace(more, page.nextPageToken
        ? h("button", { type: "button", class: "btn", text: "More dead letters", onclick: () => loadDeadLetters(page.nextPageToken) })
        : null);
    } catch (error) {
      if (!disposed) {
        replace(slot, errorBox(error));
        replace(more);
      }
    } finally {
      slot.setAttribute("aria-busy", "false");
    }
  }

  function deadLetterRows(letter) {
    const detailId = uid("dead-letter");
    const { kind, text } = payloadText(letter);
    const attributes = Object.entries(letter.attributes ?? {});
    const detail = h("tr", { class: "detail", id: detailId, hidden: true },
      h("td", { colspan: columns },
        h("div", { class: "peek", role: "region", "aria-label": `Dead letter ${letter.sequence}` },
          facts([
            ["Published", formatTime(letter.publishedAt)],
            ["Content type", letter.contentType ?? "—"],
            ["Ordering key", letter.orderingKey ?? "—"],
            ["Attributes", attributes.length ? attributes.map(([k, v]) => h("span", { class: "chip chip-attr", text: `${k}=${v}` })) : "—"],
          ]),
          kind === "empty"
            ? h("p", { class: "muted", text: "(empty payload)" })
            : h("pre", { class: `payload payload-${kind}` }, h("code", { text })))));
    const peek = h("button", {
      type: "button",
      class: "btn btn-small",
      "aria-expanded": "false",
      "aria-controls": detailId,
      onclick: () => {
        const open = detail.hidden;
        detail.hidden = !open;
        peek.setAttribute("aria-expanded", String(open));
        peek.firstChild.textContent = open ? "Hide" : "Peek";
      },
    }, h("span", { text: "Peek" }), hidden(` message ${letter.sequence}`));
    const resubmit = h("button", {
      type: "button",
      class: "btn btn-small",
      onclick: () => act(
        () => api.resubmitDeadLetters(topic, subscription, [letter.sequence]),
        (r) => (r.resubmitted === 1
          ? `Resubmitted message ${letter.sequence}: it will be delivered again with fresh attempts.`
          : `Message ${letter.sequence} was no longer a dead letter.`)),
    }, "Resubmit", hidden(` message ${letter.sequence}`));
    const row = h("tr", { "data-sequence": letter.sequence },
      h("td", { class: "num", text: String(letter.sequence) }),
      h("td", { class: "mono", text: letter.id ?? "—" }),
      h("td", { text: reasons[letter.reason] ?? letter.reason }),
      h("td", { class: "num", text: formatNumber(letter.deliveryAttempts) }),
      h("td", {}, h("time", { dateTime: letter.deadLetteredAt, text: formatTime(letter.deadLetteredAt) })),
      h("td", { class: "preview mono", text: payloadPreview(letter, 60) }),
      h("td", { class: "row-actions" }, peek, resubmit));
    return [row, detail];
  }

  async function refresh() {
    await Promise.all([loadSummary(), loadDeadLetters()]);
    const dead = summary.querySelector("[data-stat=deadLettered]");
    count.textContent = dead ? `${dead.textContent} in store` : "";
  }

  refresh();
  return () => {
    disposed = true;
  };
}
