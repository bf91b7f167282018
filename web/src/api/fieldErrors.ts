// The service's 422 details, as sentences for the fields they are about: "Sets must be at
// least 1", not "sets: Input should be greater than or equal to 1".
import { ApiError } from "./errors";

interface Detail {
  field?: string;
  message?: string;
}

const PHRASES: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/greater than or equal to (\S+)/i, (m) => `must be at least ${m[1]}`],
  [/greater than (\S+)/i, (m) => `must be more than ${m[1]}`],
  [/less than or equal to (\S+)/i, (m) => `must be at most ${m[1]}`],
  [/less than (\S+)/i, (m) => `must be less than ${m[1]}`],
  [/at least 1 character/i, () => "is required"],
  [/at least (\d+) characters?/i, (m) => `must be at least ${m[1]} characters long`],
  [/at most (\d+) characters?/i, (m) => `must be at most ${m[1]} characters long`],
  [/list should have at most (\d+)/i, (m) => `can have at most ${m[1]}`],
  [/field required|missing/i, () => "is required"],
  [/valid integer/i, () => "must be a whole number"],
  [/valid number/i, () => "must be a number"],
  [/valid (uuid|email)/i, (m) => (m[1].toLowerCase() === "email" ? "must be an email address" : "is not valid")],
];

/** `label` + what is wrong, in words. */
export function sentence(label: string, message: string): string {
  for (const [pattern, phrase] of PHRASES) {
    const m = message.match(pattern);
    if (m) return `${label} ${phrase(m)}.`;
  }
  // The service's own rules (domain errors) already speak in sentences.
  return /^[A-Z]/.test(message) ? message : `${label}: ${message}.`;
}

/** Field name -> sentence, for the fields in `labels` (others stay in the general note). */
export function fieldErrors(error: unknown, labels: Record<string, string>): Record<string, string> {
  if (!(error instanceof ApiError) || (error.status !== 422 && error.status !== 409)) return {};
  const out: Record<string, string> = {};
  const details = error.details;
  if (Array.isArray(details)) {
    for (const d of details as Detail[]) {
      const field = (d.field ?? "").split(".")[0];
      if (labels[field] && d.message && !out[field]) out[field] = sentence(labels[field], d.message);
    }
  } else if (details && typeof details === "object") {
    // A domain rule names its field: {"field": "reference_video_id"} with a sentence already.
    const field = (details as Detail).field;
    if (field && labels[field]) out[field] = error.message;
  }
  return out;
}

/** Whether every problem in `error` was put next to a field (so no general note is needed). */
export function allOnFields(error: unknown, labels: Record<string, string>): boolean {
  if (!(error instanceof ApiError)) return false;
  const shown = Object.keys(fieldErrors(error, labels)).length;
  if (shown === 0) return false;
  return Array.isArray(error.details) ? (error.details as Detail[]).every((d) => labels[(d.field ?? "").split(".")[0]]) : true;
}
