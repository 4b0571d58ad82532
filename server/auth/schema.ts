// Zod schemas of the auth area: usernames, passwords, roles, tokens, audit queries.
import { z } from "zod";
import { roles } from "./actor";

/**
 * Usernames are plain lowercase ASCII so that look-alike Unicode (Cyrillic "а", full-width letters,
 * zero-width joiners) can never make two accounts that read the same.
 */
export const zUsername = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, "Username must have at least 2 characters")
  .max(64, "Username must have at most 64 characters")
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "Username may contain only a-z, 0-9, '.', '_' and '-', and must start with a letter or digit");

export const zPassword = z
  .string()
  .min(10, "Password must have at least 10 characters")
  .max(256, "Password must have at most 256 characters");

export const zRole = z.enum(roles);

/** Control and bidirectional-override characters can make a name display as something else. */
const invisibleOrReordering = /[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;

export const zDisplayName = z
  .string()
  .trim()
  .max(120, "Display name must have at most 120 characters")
  .refine((s) => !invisibleOrReordering.test(s), "Display name must not contain control or bidirectional-override characters");

export const zSignIn = z.object({ username: z.string().max(256), password: z.string().max(1024) });

export const zCreateUser = z.object({
  username: zUsername,
  displayName: zDisplayName.optional(),
  password: zPassword,
  role: zRole,
});

export const zCreateToken = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Give the token a name, e.g. 'laptop training scripts'")
    .max(100, "Token name must have at most 100 characters")
    .refine((s) => !invisibleOrReordering.test(s), "Token name must not contain control or bidirectional-override characters"),
  expiresInDays: z.number().int().min(1).max(3650).nullable().optional(),
  /** "all" (default): everything the owner may do; "serve": only the model serving endpoints. */
  scope: z.enum(["all", "serve"], { error: "Token scope must be 'all' or 'serve'" }).optional(),
});

export const zAuditQuery = z.object({
  actor: z.string().max(64).optional(),
  action: z.string().max(100).optional(),
  targetType: z.string().max(50).optional(),
  targetId: z.string().max(200).optional(),
  from: z.number().int().optional(),
  to: z.number().int().optional(),
  limit: z.number().int().min(1).max(5000).optional(),
  beforeId: z.number().int().optional(),
});
