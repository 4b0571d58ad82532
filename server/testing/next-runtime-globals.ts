// What Next.js's own server runtime sets up before any of its modules load (node-environment-baseline): a global
// AsyncLocalStorage. A test that imports Next.js's server modules outside that runtime (the proxy's matcher) imports
// this first; without it, Next's modules fall back to a stand-in that throws asynchronously ("AsyncLocalStorage
// accessed in runtime where it is not available"), an unhandled error that Vitest pins on whichever test file runs
// next in the same worker.
import { AsyncLocalStorage } from "node:async_hooks";

const globals = globalThis as { AsyncLocalStorage?: unknown };
globals.AsyncLocalStorage ??= AsyncLocalStorage;
