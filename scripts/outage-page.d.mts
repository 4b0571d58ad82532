import type { IncomingMessage, ServerResponse } from "node:http";

export function isSelfAnswering(url: string): boolean;
export const RETRY_AFTER_SECONDS: string;
export function checkDatabase(): Promise<boolean>;
export function databaseAnswers(): Promise<boolean>;
export function retryAfterOn503(res: ServerResponse): void;
export function answerOutagePage(request: IncomingMessage, res: ServerResponse): void;
export function gatePage(request: IncomingMessage, res: ServerResponse, next: () => void): void;
