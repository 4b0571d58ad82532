// What every domain service receives: the database, the artifact store and the acting user.
import path from "node:path";
import { getDatabase, studioDataDir, type Database } from "@/db/client";
import { LocalArtifactStore, type ArtifactStore } from "./artifacts/store";
import type { Actor } from "./auth/actor";

export interface ServiceContext {
  db: Database;
  artifacts: ArtifactStore;
  actor: Actor;
}

const globalForArtifacts = globalThis as unknown as { studioArtifacts?: ArtifactStore };

/** The process-wide artifact store: `<data dir>/artifacts`, or STUDIO_ARTIFACT_ROOT. */
export function getArtifactStore(): ArtifactStore {
  globalForArtifacts.studioArtifacts ??= new LocalArtifactStore(
    path.resolve(/* turbopackIgnore: true */ process.env.STUDIO_ARTIFACT_ROOT ?? path.join(studioDataDir(), "artifacts")),
  );
  return globalForArtifacts.studioArtifacts;
}

export async function getServiceContext(actor: Actor): Promise<ServiceContext> {
  const { db } = await getDatabase();
  return { db, artifacts: getArtifactStore(), actor };
}
