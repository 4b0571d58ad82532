// Services that read a version's stored file: preview rows, compare two versions, re-evaluate quality rules.
import { DomainError } from "../errors";
import type { ServiceContext } from "../service-context";
import type { DatasetVersionDetail, VersionComparison } from "./schema";

export async function previewDatasetVersion(
  _ctx: ServiceContext,
  _input: { name: string; version: number; offset: number; limit: number },
): Promise<{ columns: string[]; rows: (string | number | boolean | null)[][]; totalRows: number }> {
  throw new DomainError("NOT_IMPLEMENTED", "Preview is being built.");
}

export async function compareDatasetVersions(
  _ctx: ServiceContext,
  _input: { name: string; reference: number; current: number },
): Promise<VersionComparison> {
  throw new DomainError("NOT_IMPLEMENTED", "Version comparison is being built.");
}

export async function recheckVersionQuality(_ctx: ServiceContext, _input: { name: string; version: number }): Promise<DatasetVersionDetail> {
  throw new DomainError("NOT_IMPLEMENTED", "Quality re-check is being built.");
}
