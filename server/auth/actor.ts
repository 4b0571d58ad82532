// Who is acting on a request: the identity every service receives and records.
export const roles = ["admin", "editor", "reviewer", "viewer"] as const;
export type Role = (typeof roles)[number];

export interface Actor {
  /** Stable account id; "local" for the single-user setup. */
  userId: string;
  username: string;
  role: Role;
}

/** The single local user of a studio running without accounts. */
export const localActor: Actor = { userId: "local", username: "local", role: "admin" };
