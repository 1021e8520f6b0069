// Building the page: elements are created with text content only (never innerHTML), so names and payloads
// are always shown as text.
import { toConsoleError } from "./errors.js";

/**
 * Creates an element. props: class, text, attributes (aria-*, data-*, id, …), on<Event> handlers, and any
 * DOM property (value, checked, disabled, type, …); null and undefined props are left out, and so is an
 * attribute (not a property) set to false. Children: nodes, strings, arrays, null/false (skipped).
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null) {
      continue;
    }
    if (name === "class") {
      element.className = value;
    } else if (name === "text") {
      element.textContent = value;
    } else if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name.startsWith("aria-") || name.startsWith("data-") || name === "for" || name === "role" || name === "scope") {
      element.setAttribute(name, value === true ? "true" : String(value));
    } else if (name in element) {
      element[name] = value;
    } else if (value !== false) {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(parent, child);
    } else {
      parent.append(child instanceof Node ? child : String(child));
    }
  }
}

/** Replaces the children of element. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

let nextId = 0;

/** A page-unique element id. */
export function uid(prefix) {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/** Text read by screen readers only. */
export const hidden = (text) => h("span", { class: "visually-hidden", text });

/** An error box: the catalog name and code (or HTTP status), then the detail. */
export function errorBox(error) {
  const problem = toConsoleError(error);
  return h("div", { class: "alert", role: "alert" },
    h("strong", { class: "alert-title", text: problem.heading }),
    h("span", { class: "alert-detail", text: problem.detail || problem.message }));
}

/** A status line for the outcome of an action: role=status, so screen readers announce it. */
export function statusLine() {
  const element = h("div", { class: "status-line", role: "status" });
  return {
    element,
    ok(text) {
      replace(element, h("span", { class: "ok", text }));
    },
    fail(error) {
      replace(element, errorBox(error));
    },
    busy(text) {
      replace(element, h("span", { class: "muted", text }));
    },
    clear() {
      element.replaceChildren();
    },
  };
}

/** Disables a form's controls while work runs, and returns the work's result. */
export async function whileBusy(form, work) {
  const controls = [...form.querySelectorAll("button, input, select, textarea")].filter((c) => !c.disabled);
  for (const control of controls) {
    control.disabled = true;
  }
  form.setAttribute("aria-busy", "true");
  try {
    return await work();
  } finally {
    for (const control of controls) {
      control.disabled = false;
    }
    form.removeAttribute("aria-busy");
  }
}

/** A labelled form field: label, control, and an optional hint tied to it with aria-describedby. */
export function field(label, control, hint) {
  control.id ||= uid("field");
  const hintElement = hint ? h("span", { class: "hint", id: `${control.id}-hint`, text: hint }) : null;
  if (hintElement) {
    control.setAttribute("aria-describedby", hintElement.id);
  }
  return h("div", { class: "field" }, h("label", { for: control.id, text: label }), control, hintElement);
}

/** The breadcrumb trail: [text, href] pairs, the last one being the current page. */
export function breadcrumbs(...items) {
  return h("nav", { class: "breadcrumbs", "aria-label": "Breadcrumb" },
    h("ol", {}, items.map(([text, href], index) =>
      h("li", {}, index === items.length - 1
        ? h("span", { "aria-current": "page", text })
        : h("a", { href, text })))));
}
