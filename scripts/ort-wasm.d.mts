import type { IncomingMessage, ServerResponse } from "node:http";

export const ORT_WASM_FILE: string;
export const SECURITY_HEADERS: Readonly<Record<string, string>>;
export function acceptsGzip(header: string | undefined): boolean;
export function createOrtWasmServer(options?: { packageDir?: string; authOff?: boolean }): {
  ready: Promise<void>;
  handle(req: IncomingMessage, res: ServerResponse): boolean;
};
