// The demo users: one per non-admin role, able to sign in with the password printed at start-up.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestStudio, type TestStudio } from "../testing/test-database";
import { signIn } from "../auth/sessions";
import { seedDemoUsers } from "./demo-users";

let studio: TestStudio;
beforeAll(async () => {
  studio = await createTestStudio();
});
afterAll(async () => studio.close());

describe("seedDemoUsers", () => {
  it("creates an editor, a reviewer and a viewer who can sign in", async () => {
    const users = await seedDemoUsers(studio.db, { STUDIO_DEMO_PASSWORD: "demo-password-1" });
    expect(users.map((u) => u.role)).toEqual(["editor", "reviewer", "viewer"]);
    for (const user of users) {
      const session = await signIn(studio.db, { username: user.username, password: "demo-password-1", clientKey: "demo" });
      expect(session.actor.role).toBe(user.role);
    }
    await expect(seedDemoUsers(studio.db, {})).rejects.toThrow(/already exists/);
  });
});
