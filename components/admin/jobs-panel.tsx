"use client";
// Admin: the jobs of the shared queue, filtered by state (kept in the URL), with Retry on failed jobs and Cancel on
// queued one-off jobs. Refreshes every few seconds while open, so a running job is seen finishing.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "@/components/trpc-provider";
import { useUrlState } from "@/components/ui/use-url-state";
import { useLocaleFormat } from "@/components/ui/use-locale-format";
import styles from "@/components/auth/auth.module.css";
import type { JobSummary } from "@/server/jobs/schema";

const STATES = ["queued", "running", "failed", "done", "cancelled"] as const;
type State = (typeof STATES)[number];

function isState(value: string | null): value is State {
  return (STATES as readonly string[]).includes(value ?? "");
}

function JobTimes({ job }: { job: JobSummary }) {
  const t = useTranslations("jobs");
  const { timestamp } = useLocaleFormat();
  const lines: string[] = [t("created", { when: timestamp(job.createdAt) })];
  if (job.state === "queued" && job.runAt > job.createdAt) lines.push(t("due", { when: timestamp(job.runAt) }));
  if (job.startedAt) lines.push(t("started", { when: timestamp(job.startedAt) }));
  if (job.finishedAt && job.state !== "running") lines.push(t("finished", { when: timestamp(job.finishedAt) }));
  if (job.state === "running" && job.lockedBy) lines.push(t("runningOn", { owner: job.lockedBy }));
  return (
    <>
      {lines.map((line) => (
        <div key={line}>{line}</div>
      ))}
    </>
  );
}

export function JobsPanel() {
  const t = useTranslations("jobs");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { params, update } = useUrlState();
  const requested = params.get("state");
  const state = isState(requested) ? requested : undefined;
  const [notice, setNotice] = useState<string | null>(null);
  const list = useQuery(trpc.jobs.list.queryOptions(state ? { state } : {}, { refetchInterval: 3_000 }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.jobs.list.pathKey() });
  const retry = useMutation(
    trpc.jobs.retry.mutationOptions({
      onSuccess: (result) => {
        setNotice(t("retried", { jobId: result.jobId }));
        void refresh();
      },
    }),
  );
  const cancel = useMutation(
    trpc.jobs.cancel.mutationOptions({
      onSuccess: (result) => {
        setNotice(t("cancelled", { jobId: result.jobId }));
        void refresh();
      },
    }),
  );
  const counts = list.data?.counts;
  const total = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : 0;
  const error = list.error ?? retry.error ?? cancel.error;

  return (
    <section aria-label={t("tableLabel")}>
      <div className={styles.inline} role="group" aria-label={t("filterLabel")}>
        <button type="button" className={styles.secondary} aria-pressed={!state} onClick={() => update({ state: null }, "push")}>
          {t("states.all", { count: total })}
        </button>
        {STATES.map((s) => (
          <button key={s} type="button" className={styles.secondary} aria-pressed={state === s} onClick={() => update({ state: s }, "push")}>
            {t(`states.${s}`, { count: counts?.[s] ?? 0 })}
          </button>
        ))}
        <button type="button" className={styles.secondary} onClick={() => void refresh()}>
          {t("refresh")}
        </button>
      </div>
      {notice ? <p role="status">{notice}</p> : null}
      {error ? (
        <p className={styles.error} role="alert">
          {error.message}
        </p>
      ) : null}
      {list.isPending ? <p className={styles.hint}>{t("loading")}</p> : null}
      {list.data && list.data.jobs.length === 0 ? <p className={styles.hint}>{t("empty")}</p> : null}
      {list.data && list.data.jobs.length > 0 ? (
        <table className={styles.table} aria-label={t("tableLabel")} data-testid="jobs-table">
          <thead>
            <tr>
              <th scope="col">{t("columns.job")}</th>
              <th scope="col">{t("columns.kind")}</th>
              <th scope="col">{t("columns.target")}</th>
              <th scope="col">{t("columns.state")}</th>
              <th scope="col">{t("columns.attempts")}</th>
              <th scope="col">{t("columns.lastError")}</th>
              <th scope="col">{t("columns.times")}</th>
              <th scope="col">{t("columns.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.jobs.map((job) => (
              <tr key={job.jobId} data-testid={`job-${job.jobId}`} data-kind={job.kind} data-state={job.state}>
                <td>#{job.jobId}</td>
                <td>
                  <code>{job.kind}</code>
                  {job.periodic ? <div className={styles.hint}>{t("periodic")}</div> : null}
                </td>
                <td>{job.target}</td>
                <td>{t(`stateNames.${job.state}`)}</td>
                <td>{t("attempts", { attempts: job.attempts, max: job.maxAttempts })}</td>
                <td>{job.lastError ?? "—"}</td>
                <td>
                  <JobTimes job={job} />
                </td>
                <td>
                  {job.state === "failed" ? (
                    <button
                      type="button"
                      className={styles.secondary}
                      aria-label={t("retryLabel", { jobId: job.jobId })}
                      disabled={retry.isPending}
                      onClick={() => retry.mutate({ jobId: job.jobId })}
                    >
                      {t("retry")}
                    </button>
                  ) : null}
                  {job.state === "queued" && !job.periodic ? (
                    <button
                      type="button"
                      className={styles.danger}
                      aria-label={t("cancelLabel", { jobId: job.jobId })}
                      disabled={cancel.isPending}
                      onClick={() => cancel.mutate({ jobId: job.jobId })}
                    >
                      {t("cancel")}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
