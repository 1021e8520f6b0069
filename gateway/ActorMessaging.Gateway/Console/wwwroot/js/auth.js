// The credential the user pasted, kept for this browser tab only (sessionStorage). An API key travels as the
// X-Api-Key header (and as ?api_key= on the hub URL, since browsers cannot set WebSocket headers); a JWT as
// Authorization: Bearer (and through the hub client's accessTokenFactory). With authentication off (the
// Development default) nothing is needed and nothing is sent.

const storageKey = "actormessaging.apiKey";
const listeners = new Set();
const jwtPattern = /^eyJ[\w-]*\.[\w-]+\.[\w-]*$/;

export function getApiKey() {
  try {
    return sessionStorage.getItem(storageKey) ?? "";
  } catch {
    return "";
  }
}

/** "none", "jwt" (three base64url parts, the first a JSON header) or "apiKey". */
export function credentialKind(key = getApiKey()) {
  if (!key) {
    return "none";
  }
  return jwtPattern.test(key) ? "jwt" : "apiKey";
}

/** The HTTP headers that carry the credential. */
export function credentialHeaders(key = getApiKey()) {
  switch (credentialKind(key)) {
    case "jwt":
      return { Authorization: `Bearer ${key}` };
    case "apiKey":
      return { "X-Api-Key": key };
    default:
      return {};
  }
}

export function setApiKey(value) {
  const key = (value ?? "").trim();
  try {
    if (key) {
      sessionStorage.setItem(storageKey, key);
    } else {
      sessionStorage.removeItem(storageKey);
    }
  } catch {
    // Storage can be disabled; the key then lasts only until the page reloads.
  }
  for (const listener of listeners) {
    listener(key);
  }
}

/** Calls listener(key) whenever the key changes; returns a function that stops it. */
export function onApiKeyChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
