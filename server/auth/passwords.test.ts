// Password hashes: argon2id at OWASP's cost wherever the studio runs, and a cheaper argon2id under Vitest alone.
import { describe, expect, it } from "vitest";
import { argon2Options, hashPassword, verifyPassword } from "./passwords";

describe("password hashing", () => {
  it("uses OWASP's argon2id cost outside Vitest, even with one of the two test markers set", () => {
    const full = { memoryCost: 19456, timeCost: 2, parallelism: 1 };
    expect(argon2Options({ NODE_ENV: "production" })).toEqual(full);
    expect(argon2Options({})).toEqual(full);
    expect(argon2Options({ NODE_ENV: "test" })).toEqual(full);
    expect(argon2Options({ NODE_ENV: "production", VITEST: "true" })).toEqual(full);
    expect(argon2Options({ NODE_ENV: "test", VITEST: "true" })).toEqual({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
  });

  it("under Vitest still makes salted argon2id hashes that verify the right password only", async () => {
    const first = await hashPassword("correct horse battery");
    const second = await hashPassword("correct horse battery");
    expect(first).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(second).not.toBe(first);
    expect(await verifyPassword(first, "correct horse battery")).toBe(true);
    expect(await verifyPassword(first, "correct horse batterY")).toBe(false);
    expect(await verifyPassword("not a hash", "correct horse battery")).toBe(false);
  });
});
