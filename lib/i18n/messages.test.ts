// Every visible sentence comes from the catalogues: each language must have every key the other has, no empty
// message, and the same ICU placeholders ({count}, {name}) in each translation.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { catalogues } from "@/messages";
import { frenchTypography } from "@/server/testing/said-error";

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

  /**
   * Messages whose languages use different values of what the server sends: a zod issue keeps zod's English words in
   * English, and is said from its kind and limits in French (server/errors.ts zodErrorSentence sends all of them).
   */
  const valuesPerLanguage: Record<string, string[]> = {
    "sentences.error.input.issue": ["field", "format", "inclusive", "kind", "maximum", "message", "minimum", "origin", "path"],
    "sentences.error.input.field": ["format", "inclusive", "kind", "maximum", "message", "minimum", "origin"],
    // English lists the fields as "no a, no b"; French names them once ("il lui manque a, b").
    "sentences.error.onnx.not_a_model": ["fields", "missing"],
  };

  it("have no empty message and the same placeholders in each language", () => {
    for (const [key, message] of en) {
      expect(message.trim(), `en ${key}`).not.toBe("");
      expect(fr.get(key)?.trim(), `fr ${key}`).not.toBe("");
      const sent = valuesPerLanguage[key];
      if (sent) {
        for (const text of [message, fr.get(key) ?? ""]) expect(sent, `placeholders of ${key}`).toEqual(expect.arrayContaining(placeholders(text)));
      } else {
        expect(placeholders(fr.get(key) ?? ""), `placeholders of ${key}`).toEqual(placeholders(message));
      }
    }
  });
});

describe("French typography", () => {
  it("puts a non-breaking space before : ; ? ! » and after « in every French message", () => {
    const plain = [...flatten(catalogues.fr)].filter(([, message]) => frenchTypography(message) !== message).map(([key]) => key);
    expect(plain, "French messages with a plain space where French typography puts a non-breaking one").toEqual([]);
  });

  it("the rule it checks tells a plain space from a non-breaking one, and leaves operators and ICU skeletons alone", () => {
    expect(frenchTypography("Valeur : 3 ; vrai ? oui ! « a »")).toBe("Valeur\u00a0: 3\u00a0; vrai\u00a0? oui\u00a0! «\u00a0a\u00a0»");
    expect(frenchTypography("utilisez != ou {n, number, ::percent}")).toBe("utilisez != ou {n, number, ::percent}");
  });
});

describe("run page and compare page messages", () => {
  it("read as the pages said them before they moved to the catalogues, numbers included", async () => {
    const { createTranslator } = await import("next-intl");
    const run = createTranslator({ locale: "en", messages: catalogues.en, namespace: "runPage" });
    expect(run("family.childrenCapped", { count: 1000 })).toBe("Child runs (1000, the first 1000)");
    expect(run("notes.help", { length: 12, max: 8000 })).toBe("Markdown: **bold**, _italic_, lists, links, tables, code. HTML is shown as text. 12 / 8000 characters.");
    expect(run("preview.notFoundDetail", { detail: "gone" })).toBe("This file is not in the run's artifacts (gone). Pick another file in the tree.");
    const compare = createTranslator({ locale: "en", messages: catalogues.en, namespace: "compareRuns" });
    expect(compare("summary.showAll", { count: 1000 })).toBe("Show all 1,000 runs");
    expect(compare("summary.withoutValue", { count: 1, metric: "loss" })).toBe("1 run has no finite value of loss.");
    expect(compare("group.caption", { groups: 2, runs: 4, key: "model" })).toBe("2 groups of 4 runs by model: mean line, min–max band");
    expect(compare("group.lineName", { key: "model", value: "cnn", count: 2 })).toBe("model = cnn (2 runs)");
    const french = createTranslator({ locale: "fr", messages: catalogues.fr, namespace: "compareRuns" });
    expect(french("summary.withoutValue", { count: 2, metric: "loss" })).toBe("2 exécutions n’ont aucune valeur finie de loss.");
  });
});

/** Every non-test TypeScript file under `dir`. */
async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

describe("server sentence codes", () => {
  it("name only messages the catalogues have: a code the server writes is never shown as its English fallback for want of a key", async () => {
    const en = flatten(catalogues.en.sentences);
    const codes = new Set<string>();
    for (const file of [...(await sourceFiles("server")), ...(await sourceFiles("lib"))]) {
      const text = await readFile(file, "utf8");
      for (const match of text.matchAll(/"((?:error|guard|guard_action|event|delivery|flag|term|gate|reference)\.[a-z_]+(?:\.[a-z_]+)*)"/g)) codes.add(match[1]!);
    }
    // The error codes this session added are among them, so the scan does read the sources.
    expect([...codes]).toEqual(expect.arrayContaining(["error.gate.no_review", "error.traffic.canary_not_approved", "error.labelling.nothing_to_undo"]));
    expect([...codes].filter((code) => !en.has(code)), "codes missing from messages/en/sentences.json").toEqual([]);
  });
});
