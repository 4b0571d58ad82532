// Demo accounts created with the demo seed, one per non-admin role, so a newcomer can try each role.
import type { Database } from "@/db/client";
import type { Role } from "../auth/actor";
import { createUserAsSystem } from "../auth/accounts";
import { generatePassword } from "../auth/passwords";

export const demoUsers: { username: string; displayName: string; role: Role }[] = [
  { username: "alice", displayName: "Alice (data scientist)", role: "editor" },
  { username: "bob", displayName: "Bob (business reviewer)", role: "reviewer" },
  { username: "victor", displayName: "Victor (viewer)", role: "viewer" },
];

/**
 * Creates the demo users with STUDIO_DEMO_PASSWORD (10+ characters) or a generated password each,
 * and returns the credentials so start-up can print them once.
 */
export async function seedDemoUsers(db: Database, env: Record<string, string | undefined> = process.env): Promise<{ username: string; role: Role; password: string }[]> {
  const shared = env.STUDIO_DEMO_PASSWORD && env.STUDIO_DEMO_PASSWORD.length >= 10 ? env.STUDIO_DEMO_PASSWORD : null;
  const created: { username: string; role: Role; password: string }[] = [];
  for (const user of demoUsers) {
    const password = shared ?? generatePassword();
    await createUserAsSystem(db, { ...user, password });
    created.push({ username: user.username, role: user.role, password });
  }
  return created;
}
