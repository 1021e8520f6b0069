// Errors shown to the user: HTTP problem details (application/problem+json with `code` and `error`) and
// hub errors ("{code} {name}: {message}") become the same ConsoleError.

export class ConsoleError extends Error {
  constructor({ status = 0, code = 0, error = "", title = "", detail = "" }) {
    super(detail || title || error || "The request failed.");
    this.name = "ConsoleError";
    this.status = status;
    this.code = code;
    this.error = error;
    this.title = title;
    this.detail = detail;
  }

  /** A short heading: the catalog name and code when known, else the HTTP status. */
  get heading() {
    if (this.error && this.code) {
      return `${this.error} (${this.code})`;
    }
    if (this.status) {
      return `${this.status} ${this.title || "Error"}`;
    }
    return this.title || this.error || "Error";
  }
}

/** The error of a failed HTTP response, from its problem details when it has them. */
export function fromResponse(response, body) {
  const problem = body && typeof body === "object" ? body : {};
  const status = response.status;
  let detail = typeof problem.detail === "string" ? problem.detail : "";
  if (!detail && status === 401) {
    detail = "The gateway requires an API key: paste one in the API key field at the top.";
  } else if (!detail && status === 403) {
    detail = "The API key is not allowed to do this.";
  } else if (!detail) {
    detail = `The gateway answered ${status} ${response.statusText || ""}`.trim() + ".";
  }
  return new ConsoleError({
    status,
    code: typeof problem.code === "number" ? problem.code : 0,
    error: typeof problem.error === "string" ? problem.error : "",
    title: typeof problem.title === "string" ? problem.title : response.statusText,
    detail,
  });
}

const hubErrorPattern = /^(\d{4}) (\w+): (.*)$/s;

/** The error of a failed hub call or connection. */
export function fromHub(error) {
  const message = error instanceof Error ? error.message : String(error);
  const typed = hubErrorPattern.exec(message);
  if (typed) {
    return new ConsoleError({ code: Number(typed[1]), error: typed[2], detail: typed[3] });
  }
  if (/\b401\b|Unauthorized/.test(message)) {
    return new ConsoleError({ status: 401, title: "Unauthorized", detail: "The hub requires an API key: paste one in the API key field at the top." });
  }
  return new ConsoleError({ title: "Hub error", detail: message });
}

/** Any error as a ConsoleError. */
export function toConsoleError(error) {
  if (error instanceof ConsoleError) {
    return error;
  }
  return new ConsoleError({ title: "Error", detail: error instanceof Error ? error.message : String(error) });
}
