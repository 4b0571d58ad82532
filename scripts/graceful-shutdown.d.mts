import type { Server } from "node:http";

export function shutdownGraceMs(): number;
export function runShutdownHooks(timeoutMs: number): Promise<void>;
export function installGracefulShutdown(server: Server, options: { name: string; graceMs?: number; exit?: (code: number) => void }): (signal: "SIGTERM" | "SIGINT") => Promise<void>;
