// A run's artifacts as MLflow lists them: paths relative to the run's artifact root.
import { invalidParameter } from "../errors";
import { normaliseArtifactPath } from "../artifacts/store";
import type { ServiceContext } from "../service-context";
import { artifactRootOf, getRun } from "./runs";

export interface ListedArtifact {
  path: string;
  is_dir: boolean;
  file_size?: number;
}

export async function listRunArtifacts(
  ctx: ServiceContext,
  runId: string,
  relativePath: string,
  pageToken?: string,
): Promise<{ root_uri: string; files: ListedArtifact[]; next_page_token?: string }> {
  if (pageToken) throw invalidParameter("artifacts/list returns every file in one page; do not send a page_token.");
  const run = await getRun(ctx, runId);
  const root = artifactRootOf(run.info);
  if (root === null) return { root_uri: run.info.artifact_uri, files: [] };
  const sub = normaliseArtifactPath(relativePath);
  const entries = await ctx.artifacts.list(sub ? `${root}/${sub}` : root);
  return {
    root_uri: run.info.artifact_uri,
    files: entries.map((e) => ({
      path: e.path.slice(root.length + 1),
      is_dir: e.isDir,
      ...(e.fileSize !== undefined ? { file_size: e.fileSize } : {}),
    })),
  };
}
