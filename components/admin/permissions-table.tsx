"use client";
// Admin: the permission table in code, shown as roles × permissions.
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc-provider";
import { roles } from "@/server/auth/actor";
import styles from "@/components/auth/auth.module.css";

export function PermissionsTable() {
  const trpc = useTRPC();
  const table = useQuery(trpc.auth.permissionTable.queryOptions());
  if (table.error) return <p className={styles.error} role="alert">{table.error.message}</p>;
  return (
    <table className={styles.table}>
      <caption className={styles.hint}>What each role may do. Checked by the server for pages, the REST API and the CLI alike.</caption>
      <thead>
        <tr>
          <th scope="col">Permission</th>
          {roles.map((r) => (
            <th scope="col" key={r}>{r}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {(table.data ?? []).map((row) => (
          <tr key={row.permission}>
            <th scope="row">
              <code>{row.permission}</code>
              <div className={styles.hint}>{row.description}</div>
            </th>
            {roles.map((r) =>
              row.roles.includes(r) ? (
                <td key={r} className={styles.yes}>yes</td>
              ) : (
                <td key={r} className={styles.no}>no</td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
