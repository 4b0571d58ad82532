// A Node stream as a Response body that pulls on demand and stops cleanly when the client goes away.
import type { Readable } from "node:stream";

/**
 * Node 20's Readable.toWeb enqueues from a 'data' listener; when the browser cancels (navigates away
 * mid-download) the next chunk throws "Controller is already closed" as an uncaught exception. Pulling
 * through the async iterator keeps every error inside the stream.
 */
export function responseBodyOf(stream: Readable): ReadableStream<Uint8Array> {
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  let cancelled = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await chunks.next();
      if (cancelled) return;
      if (done) controller.close();
      else controller.enqueue(typeof value === "string" ? new TextEncoder().encode(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    },
    cancel() {
      cancelled = true;
      stream.destroy();
    },
  });
}
