// The request body wrapper: bytes arrive in order, and a consumer that stops early drains instead of cancelling.
import { describe, expect, it } from "vitest";
import { requestBodyStream } from "./request-body";

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
