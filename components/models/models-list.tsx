"use client";
// The models page: search by name (in the URL), each model's latest version, aliases and stage, how to register one, and an ONNX drop zone.
import { useQuery } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useEffect, useState } from "react";
import { usePermission } from "@/components/auth/use-permission";
import { HealthFlag } from "@/components/monitoring/health-flag";
import { useTRPC } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import { formatRelativeTime, formatTimestamp } from "@/components/ui/time-format";
import ui from "@/components/ui/ui.module.css";
import { useUrlState } from "@/components/ui/use-url-state";
import type { RegisteredModel } from "@/server/registry/schema";
import { AliasChips, StageBadge } from "./model-badges";
import { markdownSummary } from "@/lib/markdown-summary";
import { modelHref, modelVersionHref, newestVersion } from "./model-format";
import { OnnxDropZone } from "./onnx-drop-zone";
import styles from "./models.module.css";
import type { ModelFlag } from "@/server/monitoring/schema";

export function ModelsList() {
  const trpc = useTRPC();
  const { params, update } = useUrlState();
  const q = params.get("q") ?? "";
  // The box updates at once; the URL (and so the query) follows after a short pause in typing.
  const [search, setSearch] = useState(q);
  const [seenQ, setSeenQ] = useState(q);
  if (seenQ !== q) {
    setSeenQ(q);
    setSearch(q);
  }
  useEffect(() => {
    if (search === q) return;
    const timer = setTimeout(() => update({ q: search }), 250);
    return () => clearTimeout(timer);
  }, [search, q, update]);

  const list = useQuery(trpc.registry.listModels.queryOptions({ search: q || undefined }));
  // Health flags are a hint beside the name; the list stands without them if they fail to load.
  const flags = useQuery(trpc.monitoring.flags.queryOptions());
  // The drop zone is for those who may register models; a viewer never sees it.
  const canUpload = usePermission("models.write");

  return (
    <>
      <h1>Models</h1>
      <div className={ui.toolbar} role="search">
        <div className={ui.field}>
          <label htmlFor="model-search">Search models</label>
          <input
            id="model-search"
            type="search"
            className={ui.input}
            value={search}
            placeholder="Name contains…"
            maxLength={200}
            onChange={(event) => setSearch(event.target.value)}
          />
        </div>
      </div>
      {canUpload ? <OnnxDropZone existingNames={list.data?.map((model) => model.name) ?? []} /> : null}
      {list.error ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : list.isPending ? (
        <p role="status">Loading models…</p>
      ) : list.data.length === 0 ? (
        <EmptyModels searching={Boolean(q)} />
      ) : (
        <ModelsTable models={list.data} now={list.dataUpdatedAt} flags={flags.data ?? {}} />
      )}
    </>
  );
}

function EmptyModels({ searching }: { searching: boolean }) {
  if (searching) return <p className={ui.panel}>No model name matches this search. Clear the box to see them all.</p>;
  return (
    <section className={ui.panel} aria-label="No models yet">
      <p>No models registered yet. Register one in either of two ways:</p>
      <ul>
        <li>
          From a run: open the run in <Link href="/experiments">Experiments</Link>, select its <code>.onnx</code> artifact and press{" "}
          <strong>Register model</strong>.
        </li>
        <li>
          From Python: <code>mlflow.register_model(&quot;runs:/&lt;run_id&gt;/model&quot;, &quot;my-model&quot;)</code> with{" "}
          <code>MLFLOW_TRACKING_URI</code> pointing at this studio.
        </li>
      </ul>
    </section>
  );
}

/** latest_versions holds the newest version of each stage; the list shows which versions hold a stage. */
function StagesHeld({ versions }: { versions: RegisteredModel["latest_versions"] }) {
  const staged = versions.filter((version) => version.current_stage !== "None" && version.current_stage !== "Archived");
  if (staged.length === 0) return <span className={ui.muted}>no stage</span>;
  return (
    <span className={styles.chips}>
      {staged.map((version) => (
        <span key={version.current_stage}>
          <StageBadge stage={version.current_stage} /> v{version.version}
        </span>
      ))}
    </span>
  );
}

/** `now` is when the list was fetched, so "3 minutes ago" is true of the data shown. */
function ModelsTable({ models, now, flags }: { models: RegisteredModel[]; now: number; flags: Record<string, ModelFlag> }) {
  return (
    <div className={ui.tableWrap}>
      <table className={ui.table} aria-label="Models">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Description</th>
            <th scope="col" className={ui.num}>Latest version</th>
            <th scope="col">Aliases</th>
            <th scope="col">Stage</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {models.map((model) => {
            const latest = newestVersion(model.latest_versions);
            const summary = markdownSummary(model.description);
            return (
              <tr key={model.name}>
                <td>
                  <Link href={modelHref(model.name)}>{model.name}</Link> <HealthFlag reasons={flags[model.name]?.reasons ?? []} messages={flags[model.name]?.reasonMessages} />
                </td>
                <td>
                  {summary ? (
                    <div className={styles.description} title={summary}>
                      {summary}
                    </div>
                  ) : (
                    <span className={ui.muted}>—</span>
                  )}
                </td>
                <td className={ui.num}>
                  {latest ? (
                    <Link href={modelVersionHref(model.name, latest.version)}>
                      <span className="visually-hidden">{model.name} version </span>
                      {latest.version}
                    </Link>
                  ) : (
                    <span className={ui.muted}>no versions</span>
                  )}
                </td>
                <td>
                  <AliasChips aliases={model.aliases.map((entry) => `${entry.alias} → v${entry.version}`)} />
                </td>
                <td>
                  <StagesHeld versions={model.latest_versions} />
                </td>
                <td title={formatTimestamp(model.last_updated_timestamp)}>{formatRelativeTime(model.last_updated_timestamp, now)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
