import type { Server } from "node:http";

export const KEEP_ALIVE_TIMEOUT_MS: number;
export function keepConnectionsAlive<S extends Server>(server: S): S;
