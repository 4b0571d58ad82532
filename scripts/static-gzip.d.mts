import type { IncomingMessage, ServerResponse } from "node:http";

export const STATIC_TYPES: Map<string, string>;
export function createStaticGzipServer(options?: { staticDir?: string }): {
  ready: Promise<void>;
  handle(req: IncomingMessage, res: ServerResponse): boolean;
};
