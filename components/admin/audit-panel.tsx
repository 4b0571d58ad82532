"use client";
// Admin: the audit log with filters kept in the URL, and CSV export of the filtered view.
import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import type { FormEvent } from "react";
import { useTRPC } from "@/components/trpc-provider";
import styles from "@/components/auth/auth.module.css";

const FILTERS = ["actor", "action", "targetType", "targetId"] as const;

export function AuditPanel() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const filters = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? undefined]).filter(([, v]) => v)) as Partial<Record<(typeof FILTERS)[number], string>>;
  const entries = useQuery(trpc.auth.auditLog.queryOptions({ ...filters, limit: 500 }));
  const exportHref = `/api/audit/export?${new URLSearchParams(filters as Record<string, string>).toString()}`;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const f of FILTERS) {
      const v = String(form.get(f) ?? "").trim();
      if (v) next.set(f, v);
    }
    router.replace(`${pathname}?${next.toString()}`);
  }

  return (
    <>
      <form className={`${styles.section} ${styles.inline}`} onSubmit={submit} aria-label="Filter the audit log">
        <div className={styles.field}>
          <label htmlFor="audit-actor">Actor</label>
          <input id="audit-actor" name="actor" defaultValue={filters.actor} />
        </div>
        <div className={styles.field}>
          <label htmlFor="audit-action">Action starts with</label>
          <input id="audit-action" name="action" defaultValue={filters.action} placeholder="user." />
        </div>
        <div className={styles.field}>
          <label htmlFor="audit-target-type">Target type</label>
          <input id="audit-target-type" name="targetType" defaultValue={filters.targetType} placeholder="experiment" />
        </div>
        <div className={styles.field}>
          <label htmlFor="audit-target-id">Target id</label>
          <input id="audit-target-id" name="targetId" defaultValue={filters.targetId} />
        </div>
        <button className={styles.button} type="submit">Filter</button>
        <a className={styles.secondary} href={exportHref} download>
          Export CSV
        </a>
      </form>
      {entries.error ? <p className={styles.error} role="alert">{entries.error.message}</p> : null}
      {entries.data && entries.data.length === 0 ? <p className={styles.hint}>No entries match these filters.</p> : null}
      {entries.data && entries.data.length > 0 ? (
        <table className={styles.table}>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {entries.data.map((e) => (
              <tr key={e.auditId}>
                <td>{new Date(e.at).toLocaleString()}</td>
                <td>{e.actorUsername}</td>
                <td><code>{e.action}</code></td>
                <td>{e.targetType} {e.targetId}</td>
                <td><pre className={styles.pre}>{e.before ? JSON.stringify(e.before, null, 1) : ""}</pre></td>
                <td><pre className={styles.pre}>{e.after ? JSON.stringify(e.after, null, 1) : ""}</pre></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
