// Per-column masking of dataset rows (keep, drop, salted hash, redact, generalise) and the policy schema stored with a version; browser-safe.
import { z } from "zod";

export const maskActions = ["keep", "drop", "hash", "redact", "generalise"] as const;
export type MaskAction = (typeof maskActions)[number];

export const zColumnMasking = z.object({
  action: z.enum(maskActions),
  /** Width of the numeric bands for "generalise" (default 10). */
  bandWidth: z.number().positive().finite().optional(),
});

/** Column name → what to do with it. Columns the policy does not name are kept. */
export const zMaskingPolicy = z.record(z.string().min(1), zColumnMasking);
export type MaskingPolicy = z.infer<typeof zMaskingPolicy>;

export const REDACTED = "[REDACTED]";
/**
 * What "generalise" writes for a value that is neither a number nor an ISO date. Passing such a value
 * through would keep exactly the detail the user asked to remove, so it is suppressed instead.
 */
export const GENERALISED = "[GENERALISED]";

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const ISO_DATE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Drops binary floating-point noise from band edges (0.30000000000000004 → 0.3). */
function formatBandEdge(value: number): string {
  // Integer edges (the usual case) skip toPrecision, which is slow enough to show up on a million rows.
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
}

/**
 * Numbers become their band "lo-hi" for [lo, lo + bandWidth) (34 → "30-40"); ISO dates and date-times
 * become their month as written, without time-zone conversion ("2024-03-31T23:30:00-02:00" → "2024-03");
 * empty stays empty; anything else becomes GENERALISED.
 */
export function generaliseValue(value: string, bandWidth = 10): string {
  if (value === "") return value;
  const text = value.trim();
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

/** A masking policy that cannot apply to this file; the message names the column so the user can fix it. */
export class MaskingPolicyError extends Error {
  constructor(message: string) {
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
    if (!known.has(column)) throw new MaskingPolicyError(`The masking policy names column '${column}', which is not in the file's header (${header.join(", ")}).`);
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
