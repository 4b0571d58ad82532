// Monitoring of served models: drift per time window against a reference dataset version, live metrics, flags.
// CONTRACT STUB — signatures fixed (router and pages rely on them).
import type { ServiceContext } from "../service-context";
import { DomainError } from "../errors";
import type { MonitoringSettingsInput, MonitoringView, WindowSize } from "./schema";

export async function getMonitoringView(_ctx: ServiceContext, _input: { name: string; window: WindowSize; windows?: number }): Promise<MonitoringView> {
  throw new DomainError("NOT_IMPLEMENTED", "Monitoring is not implemented yet.");
}

export async function updateMonitoringSettings(_ctx: ServiceContext, _input: MonitoringSettingsInput): Promise<void> {
  throw new DomainError("NOT_IMPLEMENTED", "Monitoring is not implemented yet.");
}

/** Health flags of models (name → reasons), as last checked; flagged models only. */
export async function listModelFlags(_ctx: ServiceContext): Promise<Record<string, string[]>> {
  return {};
}
