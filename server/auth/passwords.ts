// Password hashing with argon2id (memory-hard), and one-time passwords for new accounts.
import { randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

// OWASP's argon2id recommendation: 19 MiB memory, 2 iterations, 1 lane.
const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
/**
 * Under Vitest only (it sets VITEST and NODE_ENV=test; npm start, the production build and the journeys' server set
 * neither): argon2id at 1 MiB and 1 iteration. Tests make and check a few hundred hashes, ~0.2 s each at full cost on
 * a loaded two-core machine; a cheap hash is still argon2id, salted and verified the same way (verify reads the cost
 * from the hash), so every sign-in and refusal is still checked.
 */
const TEST_ARGON2_OPTIONS = { memoryCost: 1024, timeCost: 1, parallelism: 1 } as const;
export function argon2Options(env: Record<string, string | undefined> = process.env) {
  return env.NODE_ENV === "test" && env.VITEST ? TEST_ARGON2_OPTIONS : ARGON2_OPTIONS;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, argon2Options());
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A password a person can type: 20 characters of an unambiguous alphabet (~115 bits). */
export function generatePassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
  const bytes = randomBytes(20);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

/** A fixed hash to verify against when the username is unknown, so both paths take the same time. */
let dummyHash: Promise<string> | undefined;
export function timingDummyHash(): Promise<string> {
  dummyHash ??= hashPassword(generatePassword());
  return dummyHash;
}
