// Every visible sentence comes from the catalogues: each language must have every key the other has, no empty
// message, and the same ICU placeholders ({count}, {name}) in each translation.
import { describe, expect, it } from "vitest";
import { catalogues } from "@/messages";

function flatten(value: unknown, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === "string") out.set(prefix, value);
  else if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) for (const [k, v] of flatten(child, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
  }
  return out;
}

/** The argument names of an ICU message: `{count, plural, …}` and `{name}` give count and name. */
function placeholders(message: string): string[] {
  return [...new Set([...message.matchAll(/\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*[,}]/g)].map((m) => m[1]))].sort();
}

describe("message catalogues", () => {
  const en = flatten(catalogues.en);
  const fr = flatten(catalogues.fr);

  it("have the same keys in English and French", () => {
    expect([...fr.keys()].filter((k) => !en.has(k)), "keys only in French").toEqual([]);
    expect([...en.keys()].filter((k) => !fr.has(k)), "keys missing in French").toEqual([]);
  });

  it("have no empty message and the same placeholders in each language", () => {
    for (const [key, message] of en) {
      expect(message.trim(), `en ${key}`).not.toBe("");
      expect(fr.get(key)?.trim(), `fr ${key}`).not.toBe("");
      expect(placeholders(fr.get(key) ?? ""), `placeholders of ${key}`).toEqual(placeholders(message));
    }
  });
});
