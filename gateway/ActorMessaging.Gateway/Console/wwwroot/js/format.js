// Numbers, times and payloads as the console shows them, and publish messages as the API takes them.

const numbers = new Intl.NumberFormat();

export const formatNumber = (value) => (typeof value === "number" ? numbers.format(value) : "—");

export function formatTime(iso) {
  if (!iso) {
    return "—";
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export function formatSeconds(seconds) {
  if (typeof seconds !== "number") {
    return "—";
  }
  if (seconds < 1) {
    return "< 1 s";
  }
  const units = [["d", 86400], ["h", 3600], ["min", 60], ["s", 1]];
  for (const [unit, size] of units) {
    if (seconds >= size) {
      const value = seconds / size;
      return `${value >= 10 || Number.isInteger(value) ? Math.round(value) : value.toFixed(1)} ${unit}`;
    }
  }
  return `${seconds} s`;
}

export function formatBytes(bytes) {
  if (typeof bytes !== "number") {
    return "—";
  }
  if (bytes >= 1024 * 1024) {
    return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) ? 1 : 0)} MiB`;
  }
  if (bytes >= 1024) {
    return `${(bytes / 1024).toFixed(bytes % 1024 ? 1 : 0)} KiB`;
  }
  return `${bytes} B`;
}

function base64ToBytes(base64) {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}

function bytesToBase64(bytes) {
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

/**
 * A received or dead-lettered message's payload as text: JSON pretty-printed, UTF-8 text decoded, anything
 * else as base64. Returns { kind: "json" | "text" | "binary" | "empty", text }.
 */
export function payloadText(message) {
  if (message.data !== undefined && message.data !== null) {
    return { kind: "json", text: JSON.stringify(message.data, null, 2) };
  }
  if (typeof message.dataBase64 === "string") {
    if (message.dataBase64 === "") {
      return { kind: "empty", text: "" };
    }
    try {
      const bytes = base64ToBytes(message.dataBase64);
      return { kind: "text", text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
    } catch {
      return { kind: "binary", text: message.dataBase64 };
    }
  }
  return { kind: "empty", text: "" };
}

/** A short one-line preview of a payload. */
export function payloadPreview(message, max = 120) {
  const { kind, text } = payloadText(message);
  if (kind === "empty") {
    return "(empty)";
  }
  const line = kind === "json" ? JSON.stringify(message.data) : text.replace(/\s+/g, " ");
  const prefix = kind === "binary" ? "base64: " : "";
  return prefix + (line.length > max ? `${line.slice(0, max - 1)}…` : line);
}

/** Thrown for publish input that cannot become a message; names the field. */
export class InputError extends Error {
  constructor(field, message) {
    super(message);
    this.name = "InputError";
    this.field = field;
  }
}

/**
 * The PublishMessage for the publish form's values: JSON as `data`, text as UTF-8 `dataBase64` with a text
 * content type; attributes from "key=value" lines.
 */
export function publishMessage({ payload, format, id, orderingKey, attributes }) {
  const message = {};
  if (format === "json") {
    try {
      message.data = JSON.parse(payload);
    } catch (error) {
      throw new InputError("payload", `The payload is not valid JSON: ${error.message}. Choose "Text" to send it as plain text.`);
    }
    if (message.data === null) {
      throw new InputError("payload", "A JSON null payload counts as absent: send an object, array, string, number or boolean.");
    }
  } else {
    message.dataBase64 = bytesToBase64(new TextEncoder().encode(payload));
    message.contentType = "text/plain; charset=utf-8";
  }
  if (id.trim()) {
    message.id = id.trim();
  }
  if (orderingKey.trim()) {
    message.orderingKey = orderingKey.trim();
  }
  const lines = attributes.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  if (lines.length > 0) {
    message.attributes = {};
    for (const line of lines) {
      const equals = line.indexOf("=");
      if (equals <= 0) {
        throw new InputError("attributes", `Attribute line "${line}" is not key=value.`);
      }
      message.attributes[line.slice(0, equals).trim()] = line.slice(equals + 1).trim();
    }
  }
  return message;
}
