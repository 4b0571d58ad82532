// Response bodies from Node streams: every byte in order, and a cancelled download stops its source without throwing.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { responseBodyOf } from "./response-body";

describe("responseBodyOf", () => {
  it("delivers every byte in order", async () => {
    const text = await new Response(responseBodyOf(Readable.from([Buffer.from("ab"), Buffer.from("cd")]))).text();
    expect(text).toBe("abcd");
  });

  it("destroys the source when the reader cancels", async () => {
    let produced = 0;
    const source = new Readable({
      read() {
        produced++;
        this.push(Buffer.alloc(1024));
      },
    });
    const reader = responseBodyOf(source).getReader();
    await reader.read();
    await reader.cancel();
    expect(source.destroyed).toBe(true);
    const before = produced;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(produced).toBe(before);
  });
});
