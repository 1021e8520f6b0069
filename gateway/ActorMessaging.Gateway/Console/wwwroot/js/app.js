// The console's entry point: the API key field and a hash router over three pages.
//   #/                                         topics with their subscriptions' counters
//   #/topics/{topic}                           one topic: subscriptions, publish, live tail
//   #/topics/{topic}/subscriptions/{name}      one subscription: counters, dead letters
import { credentialKind, getApiKey, onApiKeyChange, setApiKey } from "./auth.js";
import { h, replace } from "./dom.js";
import { renderOverview } from "./overview.js";
import { renderSubscription } from "./subscription.js";
import { renderTopic } from "./topic.js";

const view = document.getElementById("view");
let dispose = () => {};
let firstRender = true;

const routes = [
  { pattern: /^#?\/?$/, title: () => "Topics", render: (parameters) => renderOverview(view, parameters) },
  { pattern: /^#\/topics\/([^/]+)\/?$/, title: ([topic]) => topic, render: (parameters, [topic]) => renderTopic(view, { ...parameters, topic }) },
  {
    pattern: /^#\/topics\/([^/]+)\/subscriptions\/([^/]+)\/?$/,
    title: ([topic, subscription]) => `${subscription} · ${topic}`,
    render: (parameters, [topic, subscription]) => renderSubscription(view, { ...parameters, topic, subscription }),
  },
];

function navigate(hash) {
  if (location.hash === hash) {
    route();
  } else {
    location.hash = hash;
  }
}

function route() {
  dispose();
  dispose = () => {};
  const hash = location.hash || "#/";
  for (const { pattern, title, render } of routes) {
    const match = pattern.exec(hash);
    if (match) {
      let values;
      try {
        values = match.slice(1).map(decodeURIComponent);
      } catch {
        break;
      }
      document.title = `${title(values)} · ActorMessaging console`;
      dispose = render({ navigate }, values) ?? (() => {});
      focusHeading();
      return;
    }
  }
  document.title = "Not found · ActorMessaging console";
  replace(view,
    h("h1", { tabindex: -1, text: "Page not found" }),
    h("p", {}, "There is no console page at this address. ", h("a", { href: "#/", text: "Go to the topics" }), "."));
  focusHeading();
}

// After navigating, move focus to the new page's heading so keyboard and screen reader users start there.
function focusHeading() {
  if (firstRender) {
    firstRender = false;
    return;
  }
  view.querySelector("h1")?.focus();
}

function setUpApiKey() {
  const form = document.getElementById("api-key-form");
  const input = document.getElementById("api-key");
  const state = document.getElementById("api-key-state");
  const show = (key) => {
    const kind = credentialKind(key);
    state.textContent = kind === "jwt"
      ? "Token (JWT) set for this tab; sent as Authorization: Bearer."
      : kind === "apiKey" ? "API key set for this tab; sent as X-Api-Key." : "No key: fine while authentication is off.";
    input.value = key;
  };
  show(getApiKey());
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    setApiKey(input.value);
  });
  document.getElementById("api-key-forget").addEventListener("click", () => setApiKey(""));
  onApiKeyChange((key) => {
    show(key);
    // Reload the page's data with the new key.
    route();
  });
}

setUpApiKey();
window.addEventListener("hashchange", route);
route();
