import type { IncomingMessage, ServerResponse } from "node:http";

export function isSelfAnswering(url: string): boolean;
export function databaseAnswers(): Promise<boolean>;
export function answerOutagePage(request: IncomingMessage, res: ServerResponse): void;
export function gatePage(request: IncomingMessage, res: ServerResponse, next: () => void): void;
