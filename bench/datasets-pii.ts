// bench/datasets PII: MB/s of the upload masker (parse + validate + PII scan + mask + write + hash) on a generated
// 1,000,000-row (~150 MB) CSV, next to a bare papaparse streaming parse and a plain file read from the same run.
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, stat, writeFile, appendFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Papa from "papaparse";
import type { MaskingPolicy } from "@/lib/masking";
import { maskCsvStream } from "@/server/datasets/csv-masker";
import { formatNumber, percentile, type BenchRow } from "./stats";
import { seededRandom } from "@/lib/seeded-random";

export interface PiiBenchOptions {
  rows?: number;
  iterations?: number;
}

const TARGET_MB_PER_S = 50;
const FIRST_NAMES = ["Louis", "Jules", "Camille", "Arthur", "Léa", "Inès", "Hugo", "Chloé", "Noah", "Emma", "Gabriel", "Zoé"];
const LAST_NAMES = ["Bernard", "Richard", "Petit", "Durand", "Martin", "Thomas", "Dubois", "Moreau", "Laurent", "Simon"];
const CITIES = ["Paris", "Lyon", "Marseille", "Lille", "Nantes", "Toulouse", "Bordeaux", "Nice", "Rennes", "Strasbourg"];
const SEGMENTS = ["retail", "premium", "business", "student"];

function digits(random: () => number, count: number): string {
  let out = "";
  for (let i = 0; i < count; i++) out += Math.floor(random() * 10);
  return out;
}

/** A French IBAN with correct ISO 13616 check digits, so the scanner sees realistic values. */
function frenchIban(bban: string): string {
  let remainder = 0;
  for (const ch of bban + "FR00") {
    const c = ch.charCodeAt(0);
    remainder = c <= 57 ? (remainder * 10 + (c - 48)) % 97 : (remainder * 100 + (c - 55)) % 97;
  }
  return `FR${String(98 - remainder).padStart(2, "0")}${bban}`;
}

/** A 16-digit number in the 4970 test range with a correct Luhn digit. */
function cardNumber(body15: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    let d = body15.charCodeAt(14 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return body15 + ((10 - (sum % 10)) % 10);
}

/** Writes `rows` synthetic customers with valid IBANs and Luhn-valid cards (also used to profile the masker by hand). */
export async function generatePiiCsv(file: string, rows: number): Promise<void> {
  const random = seededRandom(42);
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)];
  await writeFile(file, "customer_id,full_name,email,phone,iban,card_number,last_login_ip,age,monthly_spend,tenure_months,city,segment,churned\n");
  let batch = "";
  for (let i = 0; i < rows; i++) {
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const phone = `+33 6 ${digits(random, 2)} ${digits(random, 2)} ${digits(random, 2)} ${digits(random, 2)}`;
    const ip = `${1 + Math.floor(random() * 254)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}`;
    const spend = random() < 0.1 ? "" : (random() * 500).toFixed(2);
    batch +=
      `${100000 + i},${first} ${last},${first.toLowerCase()}.${last.toLowerCase()}${i}@example.com,${phone},` +
      `${frenchIban(digits(random, 23))},${cardNumber("4970" + digits(random, 11))},${ip},${18 + Math.floor(random() * 70)},` +
      `${spend},${Math.floor(random() * 120)},${pick(CITIES)},${pick(SEGMENTS)},${random() < 0.2 ? 1 : 0}\n`;
    if (batch.length > 1 << 20) {
      await appendFile(file, batch);
      batch = "";
    }
  }
  await appendFile(file, batch);
}

/** Parses the file with papaparse's own Node streaming mode and does nothing with the rows. */
function parseOnly(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let rows = 0;
    Papa.parse<string[]>(createReadStream(file), {
      delimiter: ",",
      skipEmptyLines: true,
      chunk: (results) => {
        rows += results.data.length;
      },
      complete: () => resolve(rows),
      error: reject,
    });
  });
}

async function readOnly(file: string): Promise<number> {
  let bytes = 0;
  for await (const chunk of createReadStream(file)) bytes += (chunk as Buffer).length;
  return bytes;
}

async function megabytesPerSecond(bytes: number, run: () => Promise<unknown>, iterations: number): Promise<number[]> {
  const rates: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await run();
    rates.push(bytes / 1e6 / ((performance.now() - start) / 1000));
  }
  return rates;
}

/**
 * (a) maskCsvStream from a 64 KiB-chunk file stream to a file, hashing e-mails, dropping cards, redacting
 * IBANs and generalising ages; (b) papaparse's streaming parse of the same file, rows discarded;
 * (c) the plain file read. Median MB/s (10^6 bytes) over `iterations` passes each.
 */
export async function benchPiiMasking(options: PiiBenchOptions = {}): Promise<BenchRow[]> {
  const rows = options.rows ?? 1_000_000;
  const iterations = options.iterations ?? 3;
  const dir = await mkdtemp(path.join(os.tmpdir(), "studio-bench-pii-"));
  try {
    const input = path.join(dir, "customers.csv");
    const masked = path.join(dir, "masked.csv");
    await generatePiiCsv(input, rows);
    const { size } = await stat(input);
    const policy: MaskingPolicy = {
      email: { action: "hash" },
      card_number: { action: "drop" },
      iban: { action: "redact" },
      age: { action: "generalise", bandWidth: 10 },
    };
    let maskedRows = 0;
    const mask = async () => {
      const result = await maskCsvStream(createReadStream(input), createWriteStream(masked), { policy, salt: "bench-salt" });
      maskedRows = result.rowCount;
    };
    let parsedRows = 0;
    const read = await megabytesPerSecond(size, () => readOnly(input), iterations);
    const parse = await megabytesPerSecond(size, async () => (parsedRows = await parseOnly(input)), iterations);
    const masking = await megabytesPerSecond(size, mask, iterations);
    if (maskedRows !== rows || parsedRows !== rows + 1) throw new Error(`bench/datasets-pii: expected ${rows} rows, masked ${maskedRows}, parsed ${parsedRows - 1}`);

    const mb = `${formatNumber(size / 1e6)} MB, ${rows.toLocaleString("en-US")} rows`;
    const maskRate = percentile(masking, 50);
    const parseRate = percentile(parse, 50);
    const readRate = percentile(read, 50);
    return [
      {
        backend: "node",
        measure: `PII scan + mask CSV, MB/s (${mb}) vs papaparse stream parse only`,
        studio: formatNumber(maskRate),
        baseline: formatNumber(parseRate),
        ratio: `${(maskRate / parseRate).toFixed(2)}×`,
        target: `≥ ${TARGET_MB_PER_S} MB/s`,
        verdict: maskRate >= TARGET_MB_PER_S ? "met" : "MISSED",
      },
      {
        backend: "node",
        measure: "PII scan + mask CSV, MB/s vs plain file read",
        studio: formatNumber(maskRate),
        baseline: formatNumber(readRate),
        ratio: `${(maskRate / readRate).toFixed(2)}×`,
        target: "—",
        verdict: "—",
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
