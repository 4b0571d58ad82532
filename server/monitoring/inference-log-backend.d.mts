// Types of inference-log-backend.mjs (plain JavaScript: the log's writer thread imports it as is).
export function logBackendPolicy(): "auto" | "idle" | "normal";
export function shadowLogBackendPolicy(): "same" | "auto" | "idle" | "normal";
export function isLocalHost(host: string | undefined): boolean;
export function hostOf(config: Record<string, unknown>): string | undefined;
export function backendDecision(input: {
  policy: "auto" | "idle" | "normal";
  host: string | undefined;
  pid: number;
  embeddedCluster: string | null;
  platform?: string;
  processOf?: (pid: number) => { comm: string; cwd: string | null } | null;
}): { lower: boolean; reason: string | null };
export function enterIdle(pid: number): string | null;
export function backendSchedPolicy(pid: number): number | null;
