// The one permission table of the studio: which role may do what. Services check it; the admin page shows it.
import { saidError, type DomainError } from "../errors";
import { sentence } from "@/lib/i18n/server-sentence";
import type { Actor, Role } from "./actor";

export const permissionTable = {
  "studio.read": { roles: ["admin", "editor", "reviewer", "viewer"], description: "Read experiments, runs, datasets, models, reviews and deployments" },
  "account.preferences": { roles: ["admin", "editor", "reviewer", "viewer", "labeller"], description: "Choose one's own studio language (every role, the labeller included)" },
  "views.keep-own": { roles: ["admin", "editor", "reviewer", "viewer"], description: "Save and delete one's own private views of an experiment's runs and comparisons" },
  "tracking.write": { roles: ["admin", "editor"], description: "Create, rename and delete experiments; create runs and log params, metrics, tags, inputs and artifacts" },
  "datasets.write": { roles: ["admin", "editor"], description: "Register dataset versions and declare quality rules" },
  "models.write": { roles: ["admin", "editor"], description: "Register models and versions, set tags and aliases" },
  "reviews.request": { roles: ["admin", "editor"], description: "Request an acceptance review of a model version" },
  "reviews.decide": { roles: ["admin", "reviewer"], description: "Approve or reject a review (never one's own model version)" },
  "reviews.comment": { roles: ["admin", "editor", "reviewer"], description: "Comment on reviews" },
  "feedback.write": { roles: ["admin", "editor"], description: "Post ground-truth feedback labels for served requests (a 'serve'-scoped token of any role but viewer may too)" },
  "labelling.manage": { roles: ["admin", "editor"], description: "Configure and fill a model's labelling queue and export its labels as a dataset version" },
  "labelling.label": { roles: ["admin", "editor", "labeller"], description: "Read labelling queues and label their items (the only thing a labeller may do)" },
  "deployments.promote": { roles: ["admin", "editor"], description: "Promote an approved version to production or roll back" },
  "tokens.manage-own": { roles: ["admin", "editor", "reviewer", "viewer"], description: "Create and revoke one's own API tokens" },
  "tokens.manage-any": { roles: ["admin"], description: "List and revoke any user's API tokens" },
  "users.manage": { roles: ["admin"], description: "Create users, change roles, disable accounts" },
  "audit.read": { roles: ["admin"], description: "Read and export the audit log" },
  "webhooks.manage": { roles: ["admin"], description: "Configure webhooks, read their delivery log and send deliveries again" },
  "data.erase": { roles: ["admin"], description: "Find and erase a data subject's rows from inference logs, feedback and labels" },
  "jobs.manage": { roles: ["admin"], description: "See the background jobs queue, retry failed jobs and cancel queued ones" },
  "operations.metrics": { roles: ["admin"], description: "Read the operations metrics (/metrics) of the studio and serving processes" },
} as const satisfies Record<string, { roles: readonly Role[]; description: string }>;

export type Permission = keyof typeof permissionTable;

export function can(actor: Actor, permission: Permission): boolean {
  return (permissionTable[permission].roles as readonly Role[]).includes(actor.role);
}

/** Throws PERMISSION_DENIED unless the actor's role grants the permission. */
export function authorize(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) {
    throw saidError(
      "PERMISSION_DENIED",
      `Permission denied: '${actor.username}' has role '${actor.role}', which cannot ${permissionTable[permission].description.toLowerCase()}. Ask an admin for a role that can.`,
      // The action is the permission's description, said by the catalogue (`term.permission.<name>`, dots and dashes as _).
      sentence("error.auth.permission", { username: actor.username, role: actor.role, action: [sentence(`term.permission.${permission.replace(/[.-]/g, "_")}`)] }),
    );
  }
}

/**
 * A role without studio.read (the labeller) may use the labelling procedures and nothing else: not the other tRPC
 * procedures, nor any REST API — many of which only ask for a signed-in caller because every other role may read.
 */
export function mayOnlyLabel(actor: Actor): boolean {
  return !can(actor, "studio.read");
}

/**
 * The tRPC procedures outside labelling that a labeller may still call: its own account's preferences, since the
 * language picker is in every page's header, the labelling pages' included.
 */
const ownAccountProcedures: ReadonlySet<string> = new Set(["auth.preferences", "auth.setLocale"]);

/** Whether an actor that may only label (mayOnlyLabel) may call this tRPC procedure. */
export function labellerMayCall(path: string): boolean {
  return path.startsWith("labelling.") || ownAccountProcedures.has(path);
}

export function labellerOnlyRefusal(actor: Actor): DomainError {
  return saidError(
    "PERMISSION_DENIED",
    `Permission denied: '${actor.username}' has role '${actor.role}', which may only label served requests on the studio's Labelling pages. Ask an admin for a role that can read the studio.`,
    sentence("error.auth.labeller_only", { username: actor.username, role: actor.role }),
  );
}
