// Request bodies: a byte-counted reader cut at its limit, JSON checked for depth and storable text, and the stream
// wrapper whose bytes arrive in order and which drains instead of cancelling when its consumer stops early.
import { describe, expect, it } from "vitest";
import { isDomainError } from "../errors";
import { assertStorableText, findUnstorableText, jsonNestingDepth, jsonTextMayHoldUnstorable, parseJsonText, readBodyBytes, readJsonBody, requestBodyStream } from "./request-body";

function webBody(chunks: string[], log: string[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(new TextEncoder().encode(chunks[i++]));
      else {
        log.push("end");
        controller.close();
      }
    },
    cancel() {
      log.push("cancel");
    },
  });
}

describe("requestBodyStream", () => {
  it("delivers every byte in order", async () => {
    const parts: Buffer[] = [];
    for await (const chunk of requestBodyStream(webBody(["ab", "cd", "e"], []))) parts.push(chunk as Buffer);
    expect(Buffer.concat(parts).toString()).toBe("abcde");
  });

  it("reads the rest to the end instead of cancelling when destroyed early", async () => {
    const log: string[] = [];
    const stream = requestBodyStream(webBody(["a", "b", "c", "d"], log));
    for await (const chunk of stream) {
      expect("abcd".startsWith(String(chunk))).toBe(true);
      break; // leaving the loop destroys the stream, as a parse error does
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(log).toEqual(["end"]);
  });

  it("refuses a missing body with a clear error", () => {
    expect(() => requestBodyStream(null)).toThrow(/no body/);
  });
});

/** A chunked body of `total` bytes made on demand (no content-length), counting what the reader pulled. */
function endlessBody(total: number, chunkBytes = 64 * 1024): { request: Request; pulled: () => number; finished: Promise<"end" | "cancel"> } {
  const chunk = new Uint8Array(chunkBytes).fill(0x20);
  let pulled = 0;
  let settle: (how: "end" | "cancel") => void = () => undefined;
  const finished = new Promise<"end" | "cancel">((resolve) => (settle = resolve));
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= total) {
        controller.close();
        settle("end");
        return;
      }
      pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel() {
      settle("cancel");
    },
  }, { highWaterMark: 0 });
  const request = new Request("http://studio.test/api/serve/m/invocations", { method: "POST", body, duplex: "half" } as RequestInit);
  return { request, pulled: () => pulled, finished };
}

async function errorOf(promise: Promise<unknown>): Promise<{ code: string; message: string; status: number }> {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, message: error.message, status: error.httpStatus };
    throw error;
  }
  throw new Error("expected a DomainError");
}

describe("readBodyBytes", () => {
  it("stops a 300 MB chunked body at the limit with 413, having read only the limit's worth", async () => {
    const limit = 1024 * 1024;
    const body = endlessBody(300 * 1024 * 1024);
    const error = await errorOf(readBodyBytes(body.request, { limitBytes: limit, hint: "split the batch." }));
    expect(error).toMatchObject({ code: "REQUEST_TOO_LARGE", status: 413 });
    expect(error.message).toMatch(/1 MB; split the batch/);
    // The runtime reads a few chunks ahead of the reader; what matters is that 300 MB were not taken in.
    expect(body.pulled()).toBeLessThanOrEqual(2 * limit);
    // The rest is read and dropped, not cancelled (cancelling crashes Next.js' request stream).
    expect(await body.finished).toBe("end");
  });

  it("refuses a declared content-length over the limit without reading the body", async () => {
    const body = endlessBody(10 * 1024 * 1024);
    const request = new Request(body.request, { headers: { "content-length": String(10 * 1024 * 1024) } });
    expect(await errorOf(readBodyBytes(request, { limitBytes: 1024 }))).toMatchObject({ code: "REQUEST_TOO_LARGE", status: 413 });
    expect(body.pulled()).toBeLessThanOrEqual(64 * 1024);
  });

  it("returns a body within the limit whole", async () => {
    const request = new Request("http://studio.test/x", { method: "POST", body: "é".repeat(1000) });
    const bytes = await readBodyBytes(request, { limitBytes: 2000 });
    expect(bytes.toString("utf8")).toBe("é".repeat(1000));
  });
});

describe("JSON bodies", () => {
  const post = (text: string) => new Request("http://studio.test/x", { method: "POST", body: text });

  it("refuses 20,000-deep JSON before parsing it, naming the limit", async () => {
    const deep = "[".repeat(20_000) + "]".repeat(20_000);
    const error = await errorOf(readJsonBody(post(deep), { limitBytes: 1024 * 1024 }));
    expect(error).toMatchObject({ code: "INVALID_PARAMETER_VALUE", status: 400 });
    expect(error.message).toMatch(/deeper than 64/);
    expect(jsonNestingDepth('{"a": "[[[[", "b": [[1]]}')).toBe(3);
    expect(jsonNestingDepth(String.raw`["\\", ["\"]["]]`)).toBe(2);
  });

  it("names the field holding a lone surrogate or a NUL", async () => {
    const surrogate = await errorOf(readJsonBody(post(String.raw`{"name": "a\ud800b"}`), { limitBytes: 1024 }));
    expect(surrogate).toMatchObject({ code: "INVALID_PARAMETER_VALUE", status: 400 });
    expect(surrogate.message).toMatch(/'name' is not valid Unicode text/);
    const nul = await errorOf(readJsonBody(post(String.raw`{"aliases": [{"alias": "a\u0000b"}]}`), { limitBytes: 1024 }));
    expect(nul.message).toMatch(/'aliases\.0\.alias' must not contain NUL/);
    const key = await errorOf(readJsonBody(post(String.raw`{"tags": {"\udfff": 1}}`), { limitBytes: 1024 }));
    expect(key.message).toMatch(/a key/);
    // Paired surrogates (emoji) are ordinary text.
    expect(parseJsonText(String.raw`{"name": "\ud83d\ude00 ok"}`)).toEqual({ name: "😀 ok" });
  });

  it("answers malformed JSON with MALFORMED_REQUEST and an empty body with undefined", async () => {
    expect(await errorOf(readJsonBody(post('{"a": '), { limitBytes: 1024 }))).toMatchObject({ code: "MALFORMED_REQUEST", status: 400 });
    expect(await readJsonBody(post("  "), { limitBytes: 1024 })).toBeUndefined();
  });

  it("skips the walk for text only when the walk could find nothing: every text answers as with the walk", () => {
    // JSON string pieces: plain, escaped and raw non-ASCII, escaped and raw lone surrogates, NUL escapes,
    // escaped backslashes before "u" (not an escape), and a surrogate pair split around an escape.
    const pieces = ["a", "é", "😀", "\ud800", "\udfff", "\\u0000", "\\ud800", "\\uDC00", "\\ud83d\\ude00", "\\\\u0000", "\\\\ud800", "\\\\", "\\u00e9", "\\u0041", "\\ud83d", "\\ude00", "\\n", "\\\""];
    let seed = 1;
    const random = (n: number) => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    const text = () => Array.from({ length: random(4) }, () => pieces[random(pieces.length)]).join("");
    const walked = (t: string, refuseNul: boolean) => {
      const found = findUnstorableText(JSON.parse(t), { refuseNul });
      return found ? `${found.path}: ${found.problem}` : null;
    };
    const outcome = (f: () => unknown) => {
      try {
        return { value: f() };
      } catch (error) {
        return { error: (error as Error).message };
      }
    };
    let skipped = 0;
    let walkedCount = 0;
    for (let i = 0; i < 2000; i++) {
      const json = `{"${text()}": ["${text()}", {"k": "${text()}"}], "run_id": "r${i}"}`;
      for (const refuseNul of [true, false]) {
        if (!jsonTextMayHoldUnstorable(json, { refuseNul })) {
          skipped++;
          expect(walked(json, refuseNul), json).toBeNull();
        } else walkedCount++;
        // parseJsonText (which skips the walk) answers exactly as JSON.parse followed by the walk.
        const withWalk = outcome(() => {
          const value = JSON.parse(json) as unknown;
          assertStorableText(value, { refuseNul });
          return value;
        });
        expect(outcome(() => parseJsonText(json, { refuseNul })), json).toEqual(withWalk);
      }
    }
    // Both branches were taken many times: the test would notice a check that always walks or never does.
    expect(skipped).toBeGreaterThan(300);
    expect(walkedCount).toBeGreaterThan(300);
  });
});
