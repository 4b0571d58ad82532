// What the dataset upload, preview and column readers refuse is said on the pages in the reader's language: the English
// catalogue says exactly the message REST clients and logs get, the French one says the same in French.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DomainError } from "../errors";
import { expectSaidInFrench, frenchTypography, refusalOf, refusalOfCall, saidIn } from "../testing/said-error";
import { numericSample, valueCounts } from "./column-samples";
import { maskCsvStream, type DatasetLimits } from "./csv-masker";
import { quoteLiteral, unreadableFile } from "./duckdb";
import { sampleParquetRows } from "./parquet-masker";
import { readDatasetRows } from "./preview";
import { regexPatternRefusal } from "./quality-rules";
import { requirePiiDecisions } from "./register-version";

function sink(): Writable {
  return new Writable({ write: (_chunk, _encoding, callback) => callback() });
}

function masking(input: string | Buffer | Buffer[], options: { maxBytes?: number; limits?: Partial<DatasetLimits> } = {}): Promise<DomainError> {
  const chunks = Array.isArray(input) ? input : [typeof input === "string" ? Buffer.from(input, "utf8") : input];
  return refusalOf(maskCsvStream(Readable.from(chunks), sink(), { policy: {}, salt: "s", ...options }));
}

let dir: string;
let csv: string;
let empty: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "dataset-refusals-"));
  csv = path.join(dir, "people.csv");
  empty = path.join(dir, "empty.csv");
  await writeFile(csv, "name,age\nAda,36\nAlan,41\n");
  await writeFile(empty, "");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("CSV upload refusals", () => {
  it("say each refused file in English word for word, and in French", async () => {
    const cases: [Promise<DomainError>, string][] = [
      [masking("a,,b\n1,2,3\n"), "La colonne 2 de l’en-tête n’a pas de nom ; donnez un nom à chaque colonne sur la première ligne."],
      [masking("id,id\n1,2\n"), "L’en-tête nomme deux fois la colonne « id » (colonnes 1 et 2) ; renommez-en une pour que chaque nom de colonne soit unique."],
      [masking('a,b\n1,"x\n'), "La ligne de données 1 ouvre un champ entre guillemets qui n’est jamais fermé ; fermez le guillemet ou supprimez-le."],
      [masking('a,b\n1,"x"y\n'), 'La ligne de données 1 a un champ entre guillemets mal formé ; entre guillemets, écrivez un guillemet en le doublant ("").'],
      [
        masking("a,b\n1,2\n3,4,5\n"),
        "La ligne de données 2 (l’en-tête étant la ligne 0) a 3 champs, mais l’en-tête en a 2 ; mettez entre guillemets les valeurs qui contiennent des virgules, et donnez à chaque ligne une valeur par colonne (vide si elle manque).",
      ],
      [
        masking(`a,b\n1,${"x".repeat(1234)}\n`, { limits: { maxCellChars: 1000 } }),
        "La ligne de données 1, colonne « b », contient 1\u202f234 caractères ; la limite est de 1\u202f000 caractères par cellule. Raccourcissez ou supprimez cette valeur et envoyez le fichier à nouveau.",
      ],
      [
        masking(`${Array.from({ length: 1500 }, (_, i) => `c${i}`).join(",")}\n`, { limits: { maxColumns: 1200 } }),
        "Le fichier a 1\u202f500 colonnes ; la limite est de 1\u202f200 colonnes par jeu de données. Découpez-le en fichiers plus étroits (ou gardez seulement les colonnes qu’un modèle utilise) et envoyez-le à nouveau.",
      ],
      [masking("a,b\n1,2\n", { maxBytes: 5 }), "Le fichier dépasse la limite d’envoi de 5 octets ; découpez-le ou demandez à un administrateur de relever la limite."],
      [
        masking([Buffer.alloc(1024 * 1024, "a"), Buffer.alloc(1024 * 1024, "a")], { maxBytes: 1.5 * 1024 * 1024 }),
        "Le fichier dépasse la limite d’envoi de 1,5 Mio ; découpez-le ou demandez à un administrateur de relever la limite.",
      ],
      [
        masking(Buffer.from([0x61, 0x0a, 0xff, 0x0a])),
        "Le fichier n’est pas du texte UTF-8 ; enregistrez-le à nouveau en UTF-8 (dans Excel : Enregistrer sous → CSV UTF-8) et envoyez-le à nouveau.",
      ],
      [
        masking(Buffer.from([0x61, 0x0a, 0x31, 0x0a, 0xc3])),
        "Le fichier n’est pas du texte UTF-8 (il se termine au milieu d’un caractère multi-octet) ; enregistrez-le à nouveau en UTF-8 et envoyez-le à nouveau.",
      ],
      [
        masking([Buffer.from("a,b\n1,2\n"), Buffer.from("3,\u00004\n")]),
        "Le fichier contient un octet NUL (un octet nul) après la ligne de données 1 ; un texte CSV ne peut pas en contenir, et c’est en général le signe d’un fichier binaire ou UTF-16. Enregistrez-le à nouveau en CSV UTF-8, ou supprimez les caractères NUL, et envoyez-le à nouveau.",
      ],
      [masking("\n"), "Le fichier est vide ; envoyez un CSV avec une ligne d’en-tête et au moins une ligne de données."],
      [masking("a,b\n"), "Le fichier a un en-tête mais aucune ligne de données ; ajoutez au moins une ligne sous l’en-tête."],
    ];
    for (const [outcome, french] of cases) expectSaidInFrench(await outcome, french);
  });

  it("say which columns of personal data await a decision, one clause per column, in French too", () => {
    const finding = (column: string, kind: "email" | "iban") => ({ column, kind, matched: 9, checked: 10, share: 0.9 });
    const error = refusalOfCall(() => requirePiiDecisions([finding("email", "email"), finding("iban", "iban")], { iban: { action: "generalise" } }));
    expect(error.code).toBe("UNPROCESSABLE_CONTENT");
    expect(saidIn("en", error)).toBe(error.message);
    // The clauses are joined by the catalogue's list separator (sentences.separator), shared by every listed sentence.
    expect(saidIn("fr", error)).toBe(
      frenchTypography("Des données personnelles attendent une décision avant d’être stockées : « email » (email) n’a pas de décision") +
        "\u00a0; " +
        frenchTypography(
          "« iban » (iban) ne peut pas être généralisée : rien de plus grossier que la valeur ne l’identifie. " +
            "Nommez une action pour chacune de ces colonnes dans la politique de masquage (keep, drop, hash, redact, generalise ; « keep » stocke la colonne telle quelle et doit être choisi explicitement) et envoyez le fichier à nouveau.",
        ),
    );
  });
});

describe("dataset preview and column refusals", () => {
  it("say each refused window, column or file in English word for word, and in French", async () => {
    const cases: [Promise<DomainError>, string][] = [
      [refusalOf(readDatasetRows(csv, "csv", { offset: -1, limit: 10 })), "Le décalage de l’aperçu doit être un nombre entier de lignes, 0 ou plus."],
      [refusalOf(readDatasetRows(csv, "csv", { offset: 0, limit: 501 })), "La limite de l’aperçu doit être un nombre entier de 1 à 500."],
      [refusalOf(readDatasetRows(empty, "csv", { offset: 0, limit: 10 })), "Le fichier est vide ; un jeu de données a besoin d’une ligne d’en-tête et d’au moins une colonne."],
      [refusalOf(numericSample(csv, "csv", "age", 0)), "maxValues doit être un nombre entier, 1 ou plus."],
      [refusalOf(numericSample(csv, "csv", "age", 10, 0.5)), "La graine de l’échantillon doit être un nombre entier."],
      [refusalOf(numericSample(csv, "csv", "name")), "La colonne « name » contient des valeurs VARCHAR, pas des nombres ; comparez-la plutôt par le décompte de ses valeurs."],
      [refusalOf(valueCounts(csv, "csv", "name", 0)), "limit doit être un nombre entier, 1 ou plus."],
      [refusalOf(valueCounts(csv, "csv", "height")), "La colonne « height » n’est pas dans ce fichier ; ses colonnes sont 'name', 'age'."],
      [refusalOf(sampleParquetRows(csv, 0)), "maxRows doit être un nombre entier, 1 ou plus."],
      [Promise.resolve(refusalOfCall(() => quoteLiteral("a\0b"))), "Un texte passé à DuckDB ne peut pas contenir de caractère NUL."],
      [
        Promise.resolve(unreadableFile(csv, "csv", new Error("bad line\nmore"))),
        "Le fichier CSV n’a pas pu être lu (bad line). Vérifiez qu’il est en UTF-8, séparé par des virgules, avec une ligne d’en-tête et le même nombre de champs sur chaque ligne.",
      ],
      [Promise.resolve(unreadableFile(csv, "parquet", new Error("no magic"))), "Le fichier Parquet n’a pas pu être lu (no magic). Vérifiez que c’est un fichier Parquet valide."],
    ];
    for (const [outcome, french] of cases) expectSaidInFrench(await outcome, french);
  });

  it("say a quality rule's invalid pattern with DuckDB's reason", async () => {
    const error = await regexPatternRefusal("a(");
    expect(error).not.toBeNull();
    expect(saidIn("en", error!)).toBe(error!.message);
    expect(saidIn("fr", error!)).toMatch(/^Le motif «\u00a0a\(\u00a0» n’est pas une expression régulière valide \(.+\)\u00a0; corrigez-le et évaluez à nouveau\.$/);
  });
});
