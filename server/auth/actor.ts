// Who is acting on a request: the identity every service receives, checks and records.
/** A labeller labels served rows in labelling queues and may do nothing else (not even read runs or models). */
export const roles = ["admin", "editor", "reviewer", "viewer", "labeller"] as const;
export type Role = (typeof roles)[number];

export interface Actor {
  /** Stable account id; "local" for the single-user setup, "system" for the studio itself. */
  userId: string;
  username: string;
  role: Role;
  /** How the actor proved who they are; cookie sessions are the ones that need CSRF protection. */
  via: "session" | "token" | "basic" | "local" | "system";
}

/** The single local user of a studio running with STUDIO_AUTH=off. */
export const localActor: Actor = { userId: "local", username: "local", role: "admin", via: "local" };

/** The studio acting on its own behalf (start-up, demo seed). */
export const systemActor: Actor = { userId: "system", username: "system", role: "admin", via: "system" };

export function authDisabled(): boolean {
  return process.env.STUDIO_AUTH === "off";
}
