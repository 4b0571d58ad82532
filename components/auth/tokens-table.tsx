"use client";
// The table of API tokens shared by a user's own tokens page and the admin's every-user page: never the secret, only
// its first characters, with scope, dates and a Revoke button until revoked.
import type { TokenSummary } from "@/server/auth/tokens";
import styles from "./auth.module.css";

function when(ms: number | null): string {
  return ms ? new Date(ms).toLocaleString() : "—";
}

type ListedToken = Pick<TokenSummary, "tokenId" | "name" | "prefix" | "scopes" | "createdAt" | "expiresAt" | "lastUsedAt" | "revokedAt"> & { owner?: string };

export function TokensTable({ tokens, onRevoke, revoking = false }: { tokens: readonly ListedToken[]; onRevoke: (tokenId: string) => void; revoking?: boolean }) {
  const showOwner = tokens.some((t) => t.owner !== undefined);
  return (
    <table className={styles.table}>
      <thead>
        <tr>
          {showOwner ? <th scope="col">Owner</th> : null}
          <th scope="col">Name</th>
          <th scope="col">Starts with</th>
          <th scope="col">Scope</th>
          <th scope="col">Created</th>
          <th scope="col">Expires</th>
          <th scope="col">Last used</th>
          <th scope="col">State</th>
        </tr>
      </thead>
      <tbody>
        {tokens.map((t) => (
          <tr key={t.tokenId}>
            {showOwner ? <td>{t.owner}</td> : null}
            <td>{t.name}</td>
            <td>
              <code>{t.prefix}…</code>
            </td>
            <td>{t.scopes.includes("all") ? "all" : "serving only"}</td>
            <td>{when(t.createdAt)}</td>
            <td>{t.expiresAt ? when(t.expiresAt) : "never"}</td>
            <td>{when(t.lastUsedAt)}</td>
            <td>
              {t.revokedAt ? (
                `revoked ${when(t.revokedAt)}`
              ) : (
                <button
                  className={styles.danger}
                  type="button"
                  disabled={revoking}
                  onClick={() => onRevoke(t.tokenId)}
                  aria-label={showOwner ? `Revoke ${t.owner}'s token ${t.name}` : `Revoke token ${t.name}`}
                >
                  Revoke
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
