// What the studio does once when a server process starts: migrate, ensure the Default experiment, seed the demo.
import { getDatabase } from "@/db/client";
import { ensureDefaultExperiment } from "./tracking/experiments";

export async function startStudio(): Promise<void> {
  const { db, kind } = await getDatabase();
  await ensureDefaultExperiment(db);
  console.log(`[studio] database ready (${kind === "pglite" ? "embedded PGlite" : "PostgreSQL"})`);
}
