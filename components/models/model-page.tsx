"use client";
// The model page: markdown description (edited by writers), aliases, versions newest first with stage transitions, and tags.
import { TagsTable } from "./tags-table";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useId, useState, type FormEvent } from "react";
import { usePermission } from "@/components/auth/use-permission";
import { HealthFlag } from "@/components/monitoring/health-flag";
import { useTRPC } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import { formatRelativeTime, formatTimestamp } from "@/components/ui/time-format";
import ui from "@/components/ui/ui.module.css";
import { monitoringHref } from "@/lib/monitoring-view";
import type { ModelVersion, RegisteredModelDetail } from "@/server/registry/schema";
import { AliasEditor } from "./alias-editor";
import { ChampionChallengerCsv } from "./champion-challenger-csv";
import { AliasChips, StageBadge } from "./model-badges";
import { aliasesOfVersion, modelHref, modelStageChoices, modelVersionHref, stageOffersArchiving, type ModelStageChoice } from "./model-format";
import { ModelMarkdown } from "./model-markdown";
import styles from "./models.module.css";
import { RunLink } from "./run-link";
import { useErrorText } from "@/components/ui/use-error-text";

export function ModelPage({ name }: { name: string }) {
  const trpc = useTRPC();
  const canWrite = usePermission("models.write");
  const model = useQuery(trpc.registry.model.queryOptions({ name }));
  // Health flags are a hint here; if they cannot be loaded the page is still whole without them.
  const flags = useQuery(trpc.monitoring.flags.queryOptions());
  const breadcrumb = (
    <p className={ui.breadcrumb}>
      <Link href="/models">Models</Link> /
    </p>
  );
  if (model.error || model.isPending) {
    return (
      <>
        {breadcrumb}
        <h1>{name}</h1>
        {model.error ? <QueryError error={model.error} onRetry={() => void model.refetch()} /> : <p role="status">Loading model…</p>}
      </>
    );
  }
  const detail = model.data;
  return (
    <>
      {breadcrumb}
      <div className={styles.headerRow}>
        <h1>{detail.name}</h1>
        <span className={ui.muted} title={formatTimestamp(detail.last_updated_timestamp)}>
          {detail.user_id ? `Owner ${detail.user_id}, ` : ""}updated {formatRelativeTime(detail.last_updated_timestamp, model.dataUpdatedAt)}
        </span>
      </div>
      <p className={styles.links}>
        <Link href={monitoringHref(detail.name)}>Monitoring</Link>
        <HealthFlag reasons={flags.data?.[detail.name]?.reasons ?? []} messages={flags.data?.[detail.name]?.reasonMessages} />
        <Link href={`${modelHref(detail.name)}/labelling`}>Labelling</Link>
      </p>
      <DescriptionPanel
        key={detail.description}
        title="Description"
        description={detail.description}
        canWrite={canWrite}
        emptyText="No description yet."
        save={{ kind: "model", name: detail.name }}
      />
      <AliasEditor name={detail.name} aliases={detail.aliases} versions={detail.versions.map((v) => v.version)} canWrite={canWrite} />
      <VersionsSection model={detail} now={model.dataUpdatedAt} canWrite={canWrite} />
      <ChampionChallengerCsv name={detail.name} versions={detail.versions} />
      <TagsSection tags={detail.tags} />
    </>
  );
}

type DescriptionTarget = { kind: "model"; name: string } | { kind: "version"; name: string; version: string };

/** Markdown shown safely; writers edit the source in place. Shared by the model and version pages. */
export function DescriptionPanel({
  title,
  description,
  canWrite,
  emptyText,
  save,
}: {
  title: string;
  description: string;
  canWrite: boolean;
  emptyText: string;
  save: DescriptionTarget;
}) {
  const ids = useId();
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <section className={ui.panel} aria-labelledby={`${ids}-title`}>
      <div className={ui.toolbarFlush}>
        <h2 id={`${ids}-title`} className={`${ui.panelTitle} ${ui.grow}`}>
          {title}
        </h2>
        {canWrite && draft === null ? (
          <button type="button" className={ui.secondary} onClick={() => setDraft(description)}>
            Edit description
          </button>
        ) : null}
      </div>
      {draft !== null ? (
        <DescriptionForm target={save} draft={draft} onChange={setDraft} onDone={() => setDraft(null)} />
      ) : description.trim() ? (
        <ModelMarkdown text={description} />
      ) : (
        <p className={ui.muted}>
          {emptyText} {canWrite ? "Use Edit description to say what it predicts, from what data, and its limits (markdown)." : ""}
        </p>
      )}
    </section>
  );
}

function DescriptionForm({ target, draft, onChange, onDone }: { target: DescriptionTarget; draft: string; onChange: (text: string) => void; onDone: () => void }) {
  const errorText = useErrorText();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const options = {
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: trpc.registry.pathKey() });
      onDone();
    },
  };
  const saveModel = useMutation(trpc.registry.updateModelDescription.mutationOptions(options));
  const saveVersion = useMutation(trpc.registry.updateVersionDescription.mutationOptions(options));
  const pending = saveModel.isPending || saveVersion.isPending;
  const error = saveModel.error ?? saveVersion.error;
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (target.kind === "model") saveModel.mutate({ name: target.name, description: draft });
    else saveVersion.mutate({ name: target.name, version: target.version, description: draft });
  }
  return (
    <form onSubmit={submit}>
      <label htmlFor={`${id}-text`} className="visually-hidden">
        Description (markdown)
      </label>
      <textarea
        id={`${id}-text`}
        className={styles.textarea}
        value={draft}
        maxLength={100_000}
        autoFocus
        onChange={(event) => onChange(event.target.value)}
        aria-describedby={`${id}-help`}
      />
      <p id={`${id}-help`} className={styles.hint}>
        Markdown: **bold**, _italic_, lists, links, tables, code. HTML is shown as text.
      </p>
      {error ? (
        <p className={ui.error} role="alert">
          {errorText(error)}
        </p>
      ) : null}
      <div className={ui.actions}>
        <button type="submit" className={ui.button} disabled={pending}>
          {pending ? "Saving…" : "Save description"}
        </button>
        <button type="button" className={ui.secondary} onClick={onDone} disabled={pending}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function VersionsSection({ model, now, canWrite }: { model: RegisteredModelDetail; now: number; canWrite: boolean }) {
  const titleId = useId();
  return (
    <section aria-labelledby={titleId}>
      <h2 id={titleId}>Versions</h2>
      {model.versions.length === 0 ? (
        <p className={ui.panel}>
          No versions yet. Register one from a run&apos;s <code>.onnx</code> artifact (<strong>Register model</strong> in the run&apos;s artifacts) or
          with <code>mlflow.register_model(&quot;runs:/&lt;run_id&gt;/model&quot;, &quot;{model.name}&quot;)</code>.
        </p>
      ) : (
        <div className={ui.tableWrap}>
          <table className={ui.table} aria-label="Model versions">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Created</th>
                <th scope="col">Stage</th>
                <th scope="col">Aliases</th>
                <th scope="col">Source</th>
                <th scope="col">Run</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {model.versions.map((version) => (
                <tr key={version.version}>
                  <td>
                    <Link href={modelVersionHref(model.name, version.version)}>Version {version.version}</Link>
                  </td>
                  <td title={formatTimestamp(version.creation_timestamp)}>
                    {version.user_id ? `${version.user_id}, ` : ""}
                    {formatRelativeTime(version.creation_timestamp, now)}
                  </td>
                  {/* Keyed by stage: when a transition archives this version, its select starts again from the new stage. */}
                  <td>{canWrite ? <StageTransition key={`${version.version}:${version.current_stage}`} name={model.name} version={version} /> : <StageBadge stage={version.current_stage} />}</td>
                  <td>
                    <AliasChips aliases={aliasesOfVersion(model.aliases, version.version)} />
                  </td>
                  <td>
                    <code className={styles.code}>{version.source}</code>
                  </td>
                  <td>{version.run_id ? <RunLink runId={version.run_id} /> : <span className={ui.muted}>—</span>}</td>
                  <td>
                    <VersionStatus version={version} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function VersionStatus({ version }: { version: Pick<ModelVersion, "status" | "status_message"> }) {
  const text = version.status === "READY" ? "ready" : version.status === "PENDING_REGISTRATION" ? "registering…" : "registration failed";
  return (
    <span title={version.status_message || undefined}>
      {text}
      {version.status === "FAILED_REGISTRATION" && version.status_message ? <span className={ui.error}> {version.status_message}</span> : null}
    </span>
  );
}

/** The stage as a select; moving into Staging or Production offers to archive the versions already there, as MLflow does. */
function StageTransition({ name, version }: { name: string; version: ModelVersion }) {
  const errorText = useErrorText();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = useId();
  const [stage, setStage] = useState(version.current_stage);
  const [archiveExisting, setArchiveExisting] = useState(false);
  const transition = useMutation(
    trpc.registry.transitionStage.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.registry.pathKey() }),
    }),
  );
  const changed = stage !== version.current_stage;
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!changed) return;
    // The select only offers modelStageChoices, so the value is one of them.
    transition.mutate({ name, version: version.version, stage: stage as ModelStageChoice, archiveExisting: stageOffersArchiving(stage) && archiveExisting });
  }
  return (
    <form className={styles.inlineForm} onSubmit={submit} aria-label={`Stage of version ${version.version}`}>
      <label htmlFor={`${ids}-stage`} className="visually-hidden">
        Stage of version {version.version}
      </label>
      <select id={`${ids}-stage`} className={styles.select} value={stage} onChange={(event) => setStage(event.target.value)}>
        {modelStageChoices.map((choice) => (
          <option key={choice} value={choice}>
            {choice}
          </option>
        ))}
      </select>
      {changed && stageOffersArchiving(stage) ? (
        <label className={ui.checkbox}>
          <input type="checkbox" checked={archiveExisting} onChange={(event) => setArchiveExisting(event.target.checked)} />
          Archive existing {stage} versions
        </label>
      ) : null}
      {changed ? (
        <button type="submit" className={ui.secondary} disabled={transition.isPending}>
          {transition.isPending ? "Moving…" : `Move to ${stage}`}
        </button>
      ) : null}
      {transition.error ? (
        <span className={ui.error} role="alert">
          {errorText(transition.error)}
        </span>
      ) : null}
    </form>
  );
}

function TagsSection({ tags }: { tags: readonly { key: string; value: string }[] }) {
  const titleId = useId();
  return (
    <section aria-labelledby={titleId}>
      <h2 id={titleId}>Tags</h2>
      {tags.length ? (
        <TagsTable label="Model tags" tags={tags} />
      ) : (
        <p className={ui.muted}>
          No tags. Set them from Python with <code>MlflowClient().set_registered_model_tag(name, key, value)</code>.
        </p>
      )}
    </section>
  );
}
