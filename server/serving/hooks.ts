// What the registry calls when an alias moves: tiny and import-free on purpose, so registered-models.ts can call it
// without pulling onnxruntime into its module graph. Listeners live on globalThis because Next.js bundles each route
// separately: the tRPC route that promotes and the serving routes that answer must reach the same model servers.
export interface ServingListener {
  invalidate(modelName: string): void;
  warm(modelName: string, version: string): Promise<void>;
  /**
   * Another process changed what references of `modelName` (null: of every model) resolve to: read them afresh in
   * the background, answering with what is loaded until the new answer (and its session) is ready.
   */
  refresh?(modelName: string | null): void;
}

const globalForServing = globalThis as unknown as { studioServingListeners?: Set<ServingListener> };

function listeners(): Set<ServingListener> {
  globalForServing.studioServingListeners ??= new Set();
  return globalForServing.studioServingListeners;
}

export function addServingListener(listener: ServingListener): () => void {
  listeners().add(listener);
  return () => listeners().delete(listener);
}

/**
 * Call after an alias of `modelName` moved or was deleted (setModelAlias, deleteModelAlias, rename, delete): this
 * process's model servers read the alias afresh on the next request. Other processes are told by the database
 * (NOTIFY studio_serving from the changing transaction, serving-changes.ts), ALIAS_CACHE_MS being the safety net.
 */
export function invalidateServingModel(modelName: string): void {
  for (const listener of listeners()) listener.invalidate(modelName);
}

/** Call on promotion, before invalidating: loads the new version's session so its first requests do not wait. Never throws. */
export async function warmServingVersion(modelName: string, version: string): Promise<void> {
  await Promise.all(
    [...listeners()].map((listener) =>
      listener.warm(modelName, version).catch((error: unknown) => {
        console.warn(`[serving] could not warm ${modelName} version ${version}: ${error instanceof Error ? error.message : String(error)}`);
      }),
    ),
  );
}

/** Call when another process announced a change to `modelName` (null: to any model; serving-changes.ts does). */
export function refreshServingModel(modelName: string | null): void {
  for (const listener of listeners()) {
    if (listener.refresh) listener.refresh(modelName);
    else if (modelName !== null) listener.invalidate(modelName);
  }
}
