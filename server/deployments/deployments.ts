// Deployments: what each alias points at and since when, promotion through the review gate, one-click rollback.
// CONTRACT STUB — signatures fixed (router and pages rely on them).
import type { ServiceContext } from "../service-context";
import { DomainError } from "../errors";
import type { AliasEvent, Deployment } from "../monitoring/schema";

export async function listDeployments(_ctx: ServiceContext): Promise<Deployment[]> {
  throw new DomainError("NOT_IMPLEMENTED", "Deployments are not implemented yet.");
}

export async function aliasHistory(_ctx: ServiceContext, _input: { name: string }): Promise<AliasEvent[]> {
  throw new DomainError("NOT_IMPLEMENTED", "Deployments are not implemented yet.");
}

/** Points `production` at the version (through the review gate; an admin may override with a reason). */
export async function promoteVersion(_ctx: ServiceContext, _input: { name: string; version: string; overrideReason?: string }): Promise<void> {
  throw new DomainError("NOT_IMPLEMENTED", "Deployments are not implemented yet.");
}

/** Points `production` back at the version it held before; returns that version. */
export async function rollbackProduction(_ctx: ServiceContext, _input: { name: string }): Promise<{ version: string }> {
  throw new DomainError("NOT_IMPLEMENTED", "Deployments are not implemented yet.");
}
