// What the studio does once when a server process starts: migrate, ensure the Default experiment and the first admin.
import { getDatabase } from "@/db/client";
import { authDisabled } from "./auth/actor";
import { ensureAdminAccount } from "./auth/accounts";
import { ensureDefaultExperiment } from "./tracking/experiments";
import { seedDemoOnFirstStart } from "./seed/demo";
import { getArtifactStore } from "./service-context";

export async function startStudio(): Promise<void> {
  const { db, kind } = await getDatabase();
  await ensureDefaultExperiment(db);
  await seedDemoOnFirstStart(db, getArtifactStore());
  const admin = await ensureAdminAccount(db);
  if (admin.created && admin.generated) {
    // Printed once, on the first start only; the hash is all the database keeps.
    console.log(`\n[studio] Created the 'admin' account. One-time password: ${admin.password}\n[studio] Sign in at /sign-in and keep it somewhere safe; it will not be shown again.\n`);
  } else if (admin.created) {
    console.log("[studio] Created the 'admin' account with the password from STUDIO_ADMIN_PASSWORD.");
  }
  if (authDisabled()) {
    console.warn("[studio] STUDIO_AUTH=off: accounts are switched off and every request acts as an admin. Use this only on a single-user machine.");
  }
  console.log(`[studio] database ready (${kind === "pglite" ? "embedded PGlite" : "PostgreSQL"})`);
}
