// Run as its own process by inference-log.test.ts: records entries for the log on a PostgreSQL database and exits at
// once with process.exit, as Next.js does on SIGTERM, without flushing. The rows must still arrive.
import { openDatabase } from "@/db/client";
import { recordCompactInference } from "./inference-log";

const [url, modelId, versionId, prefix, count] = process.argv.slice(2);
const handle = await openDatabase({ url });
const keys = ["a", "b"];
for (let i = 0; i < Number(count); i++) {
  recordCompactInference(handle.db, {
    modelId: Number(modelId),
    versionId: Number(versionId),
    requestId: `${prefix}-${i}`,
    at: Date.now(),
    latencyMs: 1,
    protocol: "v2",
    keys,
    sampledRows: 1,
    values: Float64Array.of(i, i / 2, i % 2),
    predictionCount: 1,
  });
}
process.exit(0);
