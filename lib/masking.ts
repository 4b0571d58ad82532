// Per-column masking of dataset rows (keep, drop, salted hash, redact, generalise) and the policy schema stored with a version; browser-safe.
import { z } from "zod";
import { sentence, type ServerSentence } from "./i18n/server-sentence";
import { detectPiiValue, isValidIpv4, isValidIpv6, type PiiFinding, type PiiKind } from "./pii";

export const maskActions = ["keep", "drop", "hash", "redact", "generalise"] as const;
export type MaskAction = (typeof maskActions)[number];

export const zColumnMasking = z.object({
  action: z.enum(maskActions),
  /** Width of the numeric bands for "generalise" (default 10). */
  bandWidth: z.number().positive().finite().optional(),
});

/**
 * Column name → what to do with it. Columns the policy does not name are kept, but an upload is refused while
 * a column the scan flags as personal data is not named (see piiDecisionsNeeded).
 */
export const zMaskingPolicy = z.record(z.string().min(1), zColumnMasking);
export type MaskingPolicy = z.infer<typeof zMaskingPolicy>;

export const REDACTED = "[REDACTED]";
/**
 * What "generalise" writes for a value it has no coarser form for. Passing such a value through would keep
 * exactly the detail the user asked to remove, so it is suppressed instead.
 */
export const GENERALISED = "[GENERALISED]";

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const ISO_DATE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * ITU-T E.164 country calling codes are prefix-free: no code is the start of another. These are the 1- and
 * 2-digit ones (every other code has 3 digits), so the first digits of an international number say which it is.
 */
const CALLING_CODES_1_2 = new Set([
  "1", "7", "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48", "49",
  "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66", "81", "82", "84", "86",
  "90", "91", "92", "93", "94", "95", "98",
]);

/** The country calling code of an international number ("+33 6 12 34 56 78" or "0033…" → "+33"), else null. */
export function phoneCountryCode(value: string): string | null {
  const text = value.trim();
  let digits: string;
  if (text.startsWith("+")) digits = text.slice(1).replace(/[\s().\/-]/g, "");
  else if (text.startsWith("00")) digits = text.slice(2).replace(/[\s().\/-]/g, "");
  else return null;
  if (!/^[1-9]\d{6,14}$/.test(digits)) return null;
  for (const length of [1, 2]) if (CALLING_CODES_1_2.has(digits.slice(0, length))) return `+${digits.slice(0, length)}`;
  return `+${digits.slice(0, 3)}`;
}

/** The network of an IP address: IPv4 → its /24 ("203.0.113.57" → "203.0.113.0/24"), IPv6 → its /48; else null. */
export function ipNetwork(value: string): string | null {
  const text = value.trim();
  if (isValidIpv4(text)) return `${text.split(".").slice(0, 3).join(".")}.0/24`;
  if (!text.includes(":") || !isValidIpv6(text)) return null;
  const address = text.includes("%") ? text.slice(0, text.indexOf("%")) : text;
  const [head = "", tail] = address.split("::");
  const headGroups = head ? head.split(":") : [];
  // With "::" the missing groups are zeros; only the first three groups (48 bits) are kept.
  const groups = tail === undefined ? headGroups : [...headGroups, "0", "0", "0"];
  const prefix = groups.slice(0, 3).map((g) => (g.includes(".") ? "0" : g.replace(/^0+(?=.)/, "").toLowerCase()));
  while (prefix.length < 3) prefix.push("0");
  return `${prefix.join(":")}::/48`;
}

/** The domain of an e-mail address ("ines.martin@example.com" → "example.com"), lower-cased; else null. */
export function emailDomain(value: string): string | null {
  const text = value.trim();
  if (detectPiiValue(text) !== "email") return null;
  return text.slice(text.lastIndexOf("@") + 1).toLowerCase();
}

/** Drops binary floating-point noise from band edges (0.30000000000000004 → 0.3). */
function formatBandEdge(value: number): string {
  // Integer edges (the usual case) skip toPrecision, which is slow enough to show up on a million rows.
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
}

/**
 * The coarser form of one value, which keeps what analysis needs and loses who it was:
 * e-mail addresses → their domain ("a.b@example.com" → "example.com"); IP addresses → their network (IPv4 /24,
 * IPv6 /48); international phone numbers → their country calling code ("+33 6 12 34 56 78" → "+33");
 * numbers → their band "lo-hi" for [lo, lo + bandWidth) (34 → "30-40"); ISO dates and date-times → their month
 * as written, without time-zone conversion ("2024-03-31T23:30:00-02:00" → "2024-03"). Empty stays empty; a
 * national phone number (no country in it) and anything else become GENERALISED. Personal data is recognised
 * before numbers, so "0612345678" is a phone number (suppressed), never a numeric band that would keep it whole.
 */
export function generaliseValue(value: string, bandWidth = 10): string {
  if (value === "") return value;
  const text = value.trim();
  const kind = detectPiiValue(text);
  if (kind === "email") return emailDomain(text) ?? GENERALISED;
  if (kind === "ip") return ipNetwork(text) ?? GENERALISED;
  if (kind !== null) return kind === "phone" ? (phoneCountryCode(text) ?? GENERALISED) : GENERALISED;
  if (NUMBER.test(text)) {
    const n = Number(text);
    if (Number.isFinite(n)) {
      const lo = Math.floor(n / bandWidth) * bandWidth;
      return `${formatBandEdge(lo)}-${formatBandEdge(lo + bandWidth)}`;
    }
  }
  const date = ISO_DATE.exec(text);
  if (date) return `${date[1]}-${date[2]}`;
  return GENERALISED;
}

/**
 * Personal data whose generalised form still means something (see generaliseValue). Card numbers, IBANs, NIRs
 * and names have none worth keeping, so "generalise" is not offered for them: it would only be a redaction.
 */
export const GENERALISABLE_KINDS: ReadonlySet<PiiKind> = new Set<PiiKind>(["email", "ip", "phone"]);

/** The decisions offered for a column holding this kind of personal data ("keep" always, and said out loud). */
export function maskChoicesFor(kind: PiiKind): MaskAction[] {
  return maskActions.filter((action) => action !== "generalise" || GENERALISABLE_KINDS.has(kind));
}

/** What each kind's generalised form is, for the choices shown with a refused upload. */
export const GENERALISED_FORM: Partial<Record<PiiKind, string>> = {
  email: "the address's domain",
  ip: "the address's network (/24 for IPv4, /48 for IPv6)",
  phone: "the country calling code",
};

/** A column the scan flagged that has no acceptable decision in the policy, with the choices it may take. */
export interface PiiDecisionNeeded {
  column: string;
  detected: { kind: PiiKind; share: number; matched: number; checked: number }[];
  choices: MaskAction[];
  /** Why the column needs a decision: none was given, or the one given ("generalise") means nothing for this data. */
  problem: "undecided" | "generalise-not-offered";
}

/**
 * The flagged columns that still need a decision: those the policy does not name, and those it generalises when
 * their data has no generalised form. "keep" counts as a decision only when it is written in the policy.
 */
export function piiDecisionsNeeded(findings: readonly PiiFinding[], policy: MaskingPolicy): PiiDecisionNeeded[] {
  const byColumn = new Map<string, PiiFinding[]>();
  for (const finding of findings) byColumn.set(finding.column, [...(byColumn.get(finding.column) ?? []), finding]);
  const needed: PiiDecisionNeeded[] = [];
  for (const [column, columnFindings] of byColumn) {
    const decision = Object.hasOwn(policy, column) ? policy[column] : undefined;
    const kinds = columnFindings.map((f) => f.kind);
    const choices = maskActions.filter((action) => kinds.every((kind) => maskChoicesFor(kind).includes(action)));
    const detected = columnFindings.map(({ kind, share, matched, checked }) => ({ kind, share, matched, checked }));
    if (!decision) needed.push({ column, detected, choices, problem: "undecided" });
    else if (!choices.includes(decision.action)) needed.push({ column, detected, choices, problem: "generalise-not-offered" });
  }
  return needed;
}

/** One sentence naming each column that needs a decision, for people (the body also carries them as data). */
export function describePiiDecisionsNeeded(needed: readonly PiiDecisionNeeded[]): string {
  const parts = needed.map((n) => {
    const kinds = n.detected.map((d) => d.kind).join("/");
    return n.problem === "undecided"
      ? `'${n.column}' (${kinds}) has no decision`
      : `'${n.column}' (${kinds}) cannot be generalised: nothing coarser than the value identifies it`;
  });
  return (
    `Personal data needs a decision before it is stored: ${parts.join("; ")}. ` +
    `Name an action for each of these columns in the masking policy (${maskActions.join(", ")}; "keep" stores it as it is and must be said explicitly) and upload again.`
  );
}

/** describePiiDecisionsNeeded as a catalogue sentence with the same columns, so a page says it in the reader's language. */
export function piiDecisionsSentence(needed: readonly PiiDecisionNeeded[]): ServerSentence {
  return sentence("error.datasets.pii_decisions", {
    columns: needed.map((n) =>
      sentence(n.problem === "undecided" ? "error.datasets.pii_undecided" : "error.datasets.pii_not_generalisable", {
        column: n.column,
        kinds: n.detected.map((d) => d.kind).join("/"),
      }),
    ),
    actions: maskActions.join(", "),
  });
}

/** A masking policy that cannot apply to this file; the message names the column so the user can fix it. */
export class MaskingPolicyError extends Error {
  constructor(
    message: string,
    /** The column the policy names and the header it is not in, so the refusal can be said in another language. */
    readonly column: string,
    readonly header: readonly string[],
  ) {
    super(message);
    this.name = "MaskingPolicyError";
  }
}

export interface RowMasker {
  outputHeader: string[];
  mask(row: readonly string[]): string[];
}

/**
 * Builds the per-row transform once: the kept columns' indices and each one's transform, so masking a row
 * is a single loop. Empty values stay empty under every action (an absent value reveals nothing, and a
 * hash of "" would make missing values look like data).
 */
export function createRowMasker(header: readonly string[], policy: MaskingPolicy, hashValue: (value: string) => string): RowMasker {
  const known = new Set(header);
  for (const column of Object.keys(policy)) {
    if (!known.has(column)) throw new MaskingPolicyError(`The masking policy names column '${column}', which is not in the file's header (${header.join(", ")}).`, column, header);
  }
  const sources: number[] = [];
  const transforms: (((value: string) => string) | null)[] = [];
  for (let i = 0; i < header.length; i++) {
    const rule = Object.hasOwn(policy, header[i]) ? policy[header[i]] : undefined;
    const action = rule?.action ?? "keep";
    if (action === "drop") continue;
    sources.push(i);
    if (action === "keep") transforms.push(null);
    else if (action === "hash") transforms.push(hashValue);
    else if (action === "redact") transforms.push(() => REDACTED);
    else {
      const bandWidth = rule?.bandWidth;
      transforms.push((value) => generaliseValue(value, bandWidth));
    }
  }
  return {
    outputHeader: sources.map((i) => header[i]),
    mask(row) {
      const out = new Array<string>(sources.length);
      for (let j = 0; j < sources.length; j++) {
        const value = row[sources[j]] ?? "";
        const transform = transforms[j];
        out[j] = transform === null || value === "" ? value : transform(value);
      }
      return out;
    },
  };
}
