"use client";
// One dataset version: its facts and digest, quality verdict, profiling progress, and tabs for profile, quality, preview and masking.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useRouter } from "next/navigation";
import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { usePermission } from "@/components/auth/use-permission";
import { ConfirmDelete } from "@/components/ui/confirm-delete";
import { useTRPC } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import { formatRelativeTime, formatTimestamp } from "@/components/ui/time-format";
import ui from "@/components/ui/ui.module.css";
import { useUrlState } from "@/components/ui/use-url-state";
import type { DatasetVersionDetail } from "@/server/datasets/schema";
import { ProfileTable } from "./profile-table";
import { progressPercent, versionNeedsPolling } from "./profile-format";
import { formatBytes, formatCount } from "./format-bytes";
import { keptPersonalColumns, personalDataSummary, VersionMasking } from "./version-masking";
import { VersionPreview } from "./version-preview";
import { VersionQuality } from "./version-quality";
import { QualityBadge } from "./quality-badge";
import styles from "./version-pages.module.css";

const TABS = [
  { id: "profile", label: "Profile" },
  { id: "quality", label: "Quality" },
  { id: "preview", label: "Preview" },
  { id: "masking", label: "Masking" },
] as const;
type TabId = (typeof TABS)[number]["id"];

/** While the server profiles or checks the version, the page asks again every second. */
const POLL_MS = 1000;

export function VersionPage({ name, version }: { name: string; version: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { params, update } = useUrlState();
  const tabParam = params.get("tab");
  const tab: TabId = TABS.some((t) => t.id === tabParam) ? (tabParam as TabId) : "profile";
  const canWrite = usePermission("datasets.write");
  const key = { name, version };
  const detailQuery = useQuery(
    trpc.datasets.version.queryOptions(key, { refetchInterval: (query) => (versionNeedsPolling(query.state.data) ? POLL_MS : false) }),
  );
  const onChanged = (updated: DatasetVersionDetail) => {
    queryClient.setQueryData(trpc.datasets.version.queryKey(key), updated);
    // Lists and the dataset page show this version's quality too.
    void queryClient.invalidateQueries({ queryKey: trpc.datasets.get.queryKey({ name }) });
    void queryClient.invalidateQueries({ queryKey: trpc.datasets.list.pathKey() });
  };

  const datasetHref = `/datasets/${encodeURIComponent(name)}`;
  const breadcrumb = (
    <p className={ui.breadcrumb}>
      <Link href="/datasets">Datasets</Link> / <Link href={datasetHref}>{name}</Link> /
    </p>
  );
  if (detailQuery.error) {
    return (
      <>
        {breadcrumb}
        <h1>Version {version}</h1>
        <QueryError error={detailQuery.error} onRetry={() => void detailQuery.refetch()} />
        <p>
          <Link href={datasetHref}>See the versions of {name}</Link>
        </p>
      </>
    );
  }
  if (detailQuery.isPending) {
    return (
      <>
        {breadcrumb}
        <p role="status">Loading version {version}…</p>
      </>
    );
  }
  const detail = detailQuery.data;
  const base = `/api/datasets/${encodeURIComponent(name)}/versions/${version}`;
  return (
    <>
      {breadcrumb}
      <div className={styles.header}>
        <h1>
          {name} · version {version}
        </h1>
        <QualityBadge status={detail.qualityStatus} reason={null} />
      </div>
      {canWrite ? <DeleteDatasetVersion name={name} version={version} /> : null}

      {detail.qualityStatus === "failed" ? (
        // Not a heading: the tab headings ("Quality"…) stay the only headings with those words, so they are easy to find.
        <section className={styles.banner} aria-labelledby="quality-banner" role="alert">
          <p id="quality-banner" className={styles.bannerTitle}>
            This version failed quality
          </p>
          <p>{detail.qualityReason || "One or more quality rules failed: see the Quality tab."}</p>
        </section>
      ) : null}

      <ProfileProgress detail={detail} />

      <section className={ui.panel} aria-labelledby="version-facts">
        <h2 id="version-facts" className={ui.panelTitle}>
          About this version
        </h2>
        <dl className={ui.dl}>
          <dt>Dataset</dt>
          <dd>
            <Link href={datasetHref}>{name}</Link>
          </dd>
          <dt>Version</dt>
          <dd>{version}</dd>
          <dt>Digest (SHA-256)</dt>
          <dd>
            <code className={styles.digest}>{detail.digest}</code>
            <CopyButton text={detail.digest} label="Copy digest" />
          </dd>
          <dt>Format</dt>
          <dd>{detail.format.toUpperCase()}</dd>
          <dt>Size</dt>
          <dd>
            {formatBytes(detail.sizeBytes)} <span className={ui.muted}>({formatCount(detail.sizeBytes)} bytes)</span>
          </dd>
          <dt>Rows</dt>
          <dd>{detail.rowCount === null ? <span className={ui.muted}>counted when profiling finishes</span> : formatCount(detail.rowCount)}</dd>
          <dt>Columns</dt>
          <dd>{formatCount(detail.columnCount)}</dd>
          <dt>Created</dt>
          <dd>
            by {detail.createdBy}, {formatTimestamp(detail.createdAt)} <span className={ui.muted}>({formatRelativeTime(detail.createdAt)})</span>
          </dd>
          <dt>Personal data</dt>
          <dd className={keptPersonalColumns(detail).length ? styles.keptPersonal : undefined}>{personalDataSummary(detail)}</dd>
          <dt>Original file</dt>
          <dd>{detail.originalFilename || "—"}</dd>
          <dt>Note</dt>
          <dd className={styles.message}>{detail.note || "—"}</dd>
        </dl>
      </section>

      <div className={styles.links}>
        <a className={ui.button} href={`${base}/download`} download>
          Download
        </a>
        <CompareWith name={name} version={version} />
      </div>

      <Tabs tab={tab} onTab={(next) => update({ tab: next === "profile" ? null : next }, "push")} />
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className={styles.tabPanel} tabIndex={0}>
        <h2>{TABS.find((t) => t.id === tab)!.label}</h2>
        {tab === "profile" ? (
          <ProfileSection detail={detail} jsonHref={`${base}/profile`} />
        ) : tab === "quality" ? (
          <VersionQuality detail={detail} canWrite={canWrite} onChanged={onChanged} />
        ) : tab === "preview" ? (
          <VersionPreview name={name} version={version} />
        ) : (
          <VersionMasking detail={detail} />
        )}
      </div>
    </>
  );
}

function ProfileProgress({ detail }: { detail: DatasetVersionDetail }) {
  if (detail.profileStatus === "pending" || detail.profileStatus === "running") {
    const percent = progressPercent(detail.profileProgress);
    return (
      <section className={styles.notice} aria-labelledby="profile-progress">
        <p id="profile-progress">
          <strong>{detail.profileStatus === "pending" ? "Waiting to profile this version…" : "Profiling this version…"}</strong> This page updates by itself when it is done.
        </p>
        <p>
          <progress className={styles.progress} max={100} value={percent} aria-label="Profiling progress" />{" "}
          <span role="status">
            {percent}%{detail.profileStage ? ` — ${detail.profileStage}` : ""}
          </span>
        </p>
      </section>
    );
  }
  if (detail.profileStatus === "failed") {
    return (
      <section className={styles.banner} aria-labelledby="profile-failed" role="alert">
        <p id="profile-failed" className={styles.bannerTitle}>
          Profiling failed
        </p>
        <p>{detail.profileError || "The server gave no reason."}</p>
        <p>
          The file is stored, but its statistics could not be computed. Fix what the message names (for example ragged rows or a wrong encoding)
          and register the corrected file as a new version; the preview and masking tabs still work.
        </p>
      </section>
    );
  }
  return null;
}

function ProfileSection({ detail, jsonHref }: { detail: DatasetVersionDetail; jsonHref: string }) {
  if (detail.profile) return <ProfileTable profile={detail.profile} jsonHref={jsonHref} />;
  if (detail.profileStatus === "failed") return <p className={ui.muted}>No profile: profiling failed (see the message above).</p>;
  return <p role="status">The profile appears here when profiling finishes.</p>;
}

function Tabs({ tab, onTab }: { tab: TabId; onTab: (tab: TabId) => void }) {
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  // Arrow keys move between tabs, as the ARIA tabs pattern expects.
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const index = TABS.findIndex((t) => t.id === tab);
    let next = -1;
    if (event.key === "ArrowRight") next = (index + 1) % TABS.length;
    else if (event.key === "ArrowLeft") next = (index - 1 + TABS.length) % TABS.length;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = TABS.length - 1;
    if (next < 0) return;
    event.preventDefault();
    onTab(TABS[next].id);
    buttons.current[next]?.focus();
  }
  return (
    <div role="tablist" aria-label="Version details" className={styles.tabs} onKeyDown={onKeyDown}>
      {TABS.map((t, i) => (
        <button
          key={t.id}
          ref={(element) => {
            buttons.current[i] = element;
          }}
          type="button"
          role="tab"
          id={`tab-${t.id}`}
          aria-selected={t.id === tab}
          // Only the selected panel is in the page; pointing at absent ones would be a broken reference.
          aria-controls={t.id === tab ? `panel-${t.id}` : undefined}
          tabIndex={t.id === tab ? 0 : -1}
          className={styles.tab}
          onClick={() => onTab(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <>
      <button
        type="button"
        className={`${ui.secondary} ${styles.copy}`}
        onClick={() =>
          navigator.clipboard.writeText(text).then(
            () => setState("copied"),
            () => setState("failed"),
          )
        }
      >
        {label}
      </button>
      <span role="status" className={ui.muted}>
        {state === "copied" ? " Copied." : state === "failed" ? " The browser refused; select the digest and copy it by hand." : ""}
      </span>
    </>
  );
}

/** Picks another version of the dataset and opens the comparison with this one as "current". */
function CompareWith({ name, version }: { name: string; version: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const selectId = useId();
  const dataset = useQuery(trpc.datasets.get.queryOptions({ name }));
  const others = (dataset.data?.versions ?? []).filter((v) => v.version !== version).sort((a, b) => b.version - a.version);
  const [chosen, setChosen] = useState("");
  const reference = chosen || (others[0] ? String(others[0].version) : "");

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!reference) return;
    router.push(`/datasets/${encodeURIComponent(name)}/compare?${new URLSearchParams({ reference, current: String(version) }).toString()}`);
  }

  if (dataset.error) return <span className={ui.error}>Versions to compare with could not be loaded: {dataset.error.message}</span>;
  if (dataset.data && !others.length) return <span className={ui.muted}>This is the only version: register another to compare.</span>;
  return (
    <form className={styles.inlineForm} onSubmit={submit} aria-label="Compare with another version">
      <label htmlFor={selectId}>Compare with…</label>
      <select id={selectId} className={styles.select} value={reference} onChange={(event) => setChosen(event.target.value)} disabled={!others.length}>
        {others.map((v) => (
          <option key={v.version} value={v.version}>
            version {v.version}
            {v.note ? ` — ${v.note.slice(0, 60)}` : ""}
          </option>
        ))}
      </select>
      <button type="submit" className={ui.secondary} disabled={!reference}>
        Compare
      </button>
    </form>
  );
}

/** Deletes the version after asking; the server refuses one a review, a monitor or profiling still uses, and says why. */
function DeleteDatasetVersion({ name, version }: { name: string; version: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const remove = useMutation(
    trpc.datasets.deleteVersion.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.datasets.pathKey() });
        router.push(`/datasets/${encodeURIComponent(name)}`);
      },
    }),
  );
  return (
    <ConfirmDelete
      text={{
        button: "Delete version",
        question: `Delete version ${version} of ${name} and its stored file? Runs that logged it keep their own record of it; the audit log keeps this one.`,
        confirm: "Confirm delete",
        keep: "Keep it",
      }}
      onConfirm={() => remove.mutate({ name, version })}
      pending={remove.isPending}
      error={remove.error?.message ?? null}
    />
  );
}
