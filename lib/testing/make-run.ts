// A finished run in MLflow's shape, for unit tests of code that reads runs (no database needed).
import type { Run } from "@/server/tracking/schema";

export function makeRun(
  id: string,
  params: Record<string, string> = {},
  metrics: Record<string, number> = {},
  tags: Record<string, string> = {},
  runName = `name-${id}`,
): Run {
  return {
    info: {
      run_id: id,
      run_uuid: id,
      run_name: runName,
      experiment_id: "1",
      user_id: "u",
      status: "FINISHED",
      start_time: 0,
      artifact_uri: "",
      lifecycle_stage: "active",
    },
    data: {
      params: Object.entries(params).map(([key, value]) => ({ key, value })),
      metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp: 0, step: 0 })),
      tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    },
    inputs: { dataset_inputs: [] },
  };
}
