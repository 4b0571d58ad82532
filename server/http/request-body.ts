// A request body as a Node stream that drains instead of cancelling when its consumer gives up early.
import { Readable } from "node:stream";
import { invalidParameter } from "../errors";

/**
 * Readable.fromWeb cancels the web stream when the Node side is destroyed (a bad row, a size limit);
 * Next.js then throws an uncaught "ReadableStream is already closed" as more bytes arrive, which can
 * take the server down. This wrapper reads and discards the rest instead, so the request ends cleanly.
 */
export function requestBodyStream(body: ReadableStream<Uint8Array> | null): Readable {
  if (!body) throw invalidParameter("The request has no body: send the file's bytes as the request body.");
  const reader = body.getReader();
  let ended = false;
  return new Readable({
    read() {
      reader.read().then(
        ({ done, value }) => {
          if (done) {
            ended = true;
            this.push(null);
          } else {
            this.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
          }
        },
        (error: unknown) => {
          ended = true;
          this.destroy(error instanceof Error ? error : new Error(String(error)));
        },
      );
    },
    destroy(error, callback) {
      if (!ended) {
        ended = true;
        void (async () => {
          try {
            while (!(await reader.read()).done) {
              // discard: the answer is already decided
            }
          } catch {
            // the client went away; nothing left to drain
          }
        })();
      }
      callback(error);
    },
  });
}
