// Tests of the streaming CSV masker: masking the planted-PII fixture, byte-exact output, and clear errors on bad files.
import { createHash } from "node:crypto";
import { createReadStream, readFileSync } from "node:fs";
import path from "node:path";
import { PassThrough, Readable, Writable } from "node:stream";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import type { MaskingPolicy } from "@/lib/masking";
import { DomainError } from "../errors";
import { maskCsvStream, saltedHash } from "./csv-masker";
import { saidIn } from "../testing/said-error";

const fixture = path.join(import.meta.dirname, "../../fixtures/datasets/customers-with-pii.csv");

/** A writable that keeps what it receives, so tests can look at the exact bytes. */
function collector(): { stream: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return { stream, bytes: () => Buffer.concat(chunks) };
}

/** Feeds the given pieces as separate chunks, so tests can split rows, quotes and UTF-8 characters across chunks. */
function chunked(...pieces: (string | Buffer)[]): Readable {
  return Readable.from(pieces.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : p)));
}

async function maskText(input: Readable, policy: MaskingPolicy = {}, salt = "s") {
  const out = collector();
  const result = await maskCsvStream(input, out.stream, { policy, salt });
  return { result, text: out.bytes().toString("utf8"), bytes: out.bytes() };
}

async function rejection(input: Readable, policy: MaskingPolicy = {}, maxBytes?: number): Promise<DomainError> {
  const error = await maskCsvStream(input, collector().stream, { policy, salt: "s", maxBytes }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe("maskCsvStream on the planted-PII fixture", () => {
  const policy: MaskingPolicy = {
    email: { action: "hash" },
    card_number: { action: "drop" },
    iban: { action: "redact" },
    age: { action: "generalise" },
  };

  it("hashes, drops, redacts and generalises as asked, leaving no e-mail address behind", async () => {
    const source = readFileSync(fixture, "utf8");
    const { result, text, bytes } = await maskText(createReadStream(fixture, { highWaterMark: 4096 }), policy, "pepper");
    const input = Papa.parse<Record<string, string>>(source, { header: true, skipEmptyLines: true }).data;
    const output = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;

    expect(result.rowCount).toBe(1000);
    expect(output).toHaveLength(1000);
    expect(result.outputHeader).toEqual(result.header.filter((h) => h !== "card_number"));
    expect(text).not.toMatch(/@example\.com/);
    expect(text).not.toContain(input[0].card_number);
    for (let i = 0; i < input.length; i++) {
      expect(output[i].email).toMatch(/^[0-9a-f]{64}$/);
      expect(output[i].email).toBe(createHash("sha256").update("pepper" + input[i].email).digest("hex"));
      expect(output[i].iban).toBe("[REDACTED]");
      const age = Number(input[i].age);
      expect(output[i].age).toBe(`${Math.floor(age / 10) * 10}-${Math.floor(age / 10) * 10 + 10}`);
      expect(output[i].city).toBe(input[i].city);
      expect(output[i].monthly_spend).toBe(input[i].monthly_spend);
    }
    expect(result.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(result.bytesOut).toBe(bytes.length);
    expect(result.bytesIn).toBe(Buffer.byteLength(source));
    expect(result.piiFindings.map((f) => [f.column, f.kind])).toEqual(
      expect.arrayContaining([["email", "email"], ["card_number", "card"], ["iban", "iban"], ["nir", "nir"], ["full_name", "name"]]),
    );
  });

  it("gives equal hashes for equal values and the same bytes for the same input, policy and salt", async () => {
    const csv = "email,n\na@example.com,1\nb@example.com,2\na@example.com,3\n";
    const first = await maskText(chunked(csv), { email: { action: "hash" } }, "salt-1");
    const again = await maskText(chunked(csv.slice(0, 7), csv.slice(7)), { email: { action: "hash" } }, "salt-1");
    const otherSalt = await maskText(chunked(csv), { email: { action: "hash" } }, "salt-2");
    const hashes = first.text.trim().split("\n").slice(1).map((line) => line.split(",")[0]);
    expect(hashes[0]).toBe(hashes[2]);
    expect(hashes[0]).not.toBe(hashes[1]);
    expect(hashes[0]).toBe(saltedHash("salt-1", "a@example.com"));
    expect(again.result.sha256).toBe(first.result.sha256);
    expect(otherSalt.result.sha256).not.toBe(first.result.sha256);
  });
});

describe("maskCsvStream output format", () => {
  it("writes RFC 4180 with LF line ends, quoting only where needed, whatever the input's line ends and chunking", async () => {
    const input = '\ufeffa,b,c\r\n"x, y","say ""hi""",plain\r\n" lead","multi\nline",\r\n';
    const pieces = [input.slice(0, 5), input.slice(5, 13), input.slice(13, 14), input.slice(14, 30), input.slice(30)];
    const { text, result } = await maskText(chunked(...pieces));
    expect(text).toBe('a,b,c\n"x, y","say ""hi""",plain\n" lead","multi\nline",\n');
    expect(result.header).toEqual(["a", "b", "c"]);
    expect(result.rowCount).toBe(2);
  });

  it("gives the same bytes wherever the input is cut into chunks", async () => {
    const input = 'a,b\r\n"q""1","x\r\ny"\r\nplain,"end"\r\n,\r\n';
    const whole = (await maskText(chunked(input))).text;
    expect(whole).toBe('a,b\n"q""1","x\r\ny"\nplain,end\n,\n');
    for (let cut = 1; cut < input.length; cut++) {
      expect((await maskText(chunked(input.slice(0, cut), input.slice(cut)))).text, `cut at ${cut}`).toBe(whole);
    }
  });

  it("reads a UTF-8 character split across chunks, a last row without a line end, and CR-only files", async () => {
    const cafe = Buffer.from("name,city\nZoé,Montréal", "utf8");
    const split = cafe.indexOf(0xc3);
    const { text } = await maskText(chunked(cafe.subarray(0, split + 1), cafe.subarray(split + 1)), { name: { action: "redact" } });
    expect(text).toBe("name,city\n[REDACTED],Montréal\n");
    const crOnly = await maskText(chunked("a,b\r1,2\r3,4\r"));
    expect(crOnly.text).toBe("a,b\n1,2\n3,4\n");
  });

  it("quotes empty values when one column is left, so their rows are not read as blank lines", async () => {
    const { text, result } = await maskText(chunked("a,b\n1,\n2,x\n"), { a: { action: "drop" } });
    expect(text).toBe('b\n""\nx\n');
    expect(result.rowCount).toBe(2);
  });
});

describe("maskCsvStream errors", () => {
  it("rejects an empty file and a header without rows", async () => {
    expect((await rejection(chunked(""))).message).toMatch(/The file is empty/);
    expect((await rejection(chunked("\ufeff\n\n"))).message).toMatch(/The file is empty/);
    expect((await rejection(chunked("a,b\n"))).message).toMatch(/has no data rows/);
  });

  it("rejects ragged rows, naming the row and both counts", async () => {
    const error = await rejection(chunked("a,b,c,d\n1,2,3,4\n1,2,3,4,5\n"));
    expect(error.code).toBe("INVALID_PARAMETER_VALUE");
    expect(error.message).toMatch(/^Data row 2 .* has 5 fields but the header has 4/);
    expect((await rejection(chunked("a,b\n1\n"))).message).toMatch(/Data row 1 .* has 1 fields but the header has 2/);
  });

  it("rejects text that is not UTF-8, such as Latin-1", async () => {
    const latin1 = Buffer.concat([Buffer.from("name\n"), Buffer.from([0x63, 0x61, 0x66, 0xe9]), Buffer.from("\n")]);
    expect((await rejection(chunked(latin1))).message).toMatch(/not UTF-8 text; re-save it as UTF-8/);
    expect((await rejection(chunked(Buffer.from([0x6e, 0x0a, 0x63, 0x61, 0x66, 0xe9])))).message).toMatch(/not UTF-8 text/);
  });

  it("rejects duplicate and blank header names", async () => {
    expect((await rejection(chunked("id,email,id\n1,a,2\n"))).message).toMatch(/'id' twice \(columns 1 and 3\)/);
    expect((await rejection(chunked("id, ,x\n1,2,3\n"))).message).toMatch(/Column 2 of the header has no name/);
  });

  it("rejects an unclosed quote and a policy naming a missing column", async () => {
    expect((await rejection(chunked('a,b\n1,"open\n2,3\n'))).message).toMatch(/never closed/);
    expect((await rejection(chunked('a,b\n1,2\n"x"y,2\n'))).message).toMatch(/Data row 2 has a malformed quoted field/);
    const error = await rejection(chunked("a,b\n1,2\n"), { email: { action: "hash" } });
    expect(error.message).toMatch(/'email'/);
    const dropsAll = await rejection(chunked("a\n1\n"), { a: { action: "drop" } });
    expect(dropsAll.message).toMatch(/drops every column/);
    // The labelling export's page says both in the reader's language; English says exactly the server's message.
    for (const refusal of [error, dropsAll]) expect(saidIn("en", refusal)).toBe(refusal.message);
    expect(saidIn("fr", error)).toBe("La politique de masquage nomme la colonne «\u00a0email\u00a0», absente de l'en-tête du fichier (a, b).");
    expect(saidIn("fr", dropsAll)).toBe("La politique de masquage supprime toutes les colonnes\u00a0: gardez-en au moins une.");
  });

  it("stops at an overlong record instead of carrying the rest of the file as one row", async () => {
    const filler = Buffer.alloc(1 << 20, "x");
    const error = await rejection(chunked("a,b\n1,2\n3,\"never closed", ...Array.from({ length: 18 }, () => filler)));
    expect(error.message).toMatch(/Data row 2 is longer than 16 MiB/);
  });

  it("rejects files over maxBytes with RESOURCE_EXHAUSTED", async () => {
    const error = await rejection(chunked("a,b\n", "1,2\n".repeat(100)), {}, 200);
    expect(error.code).toBe("RESOURCE_EXHAUSTED");
    expect(error.message).toMatch(/larger than the 200 bytes upload limit/);
  });

  it("rejects when the input stream fails midway, and destroys the output", async () => {
    const input = new PassThrough();
    const out = collector();
    const done = maskCsvStream(input, out.stream, { policy: {}, salt: "s" });
    input.write("a,b\n1,2\n");
    setTimeout(() => input.destroy(new Error("connection reset")), 10);
    await expect(done).rejects.toThrow("connection reset");
    expect(out.stream.destroyed).toBe(true);
  });
});
