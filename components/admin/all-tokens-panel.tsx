"use client";
// Admin: every user's API tokens with their owner and last use, and revoking any of them (audited).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc-provider";
import styles from "@/components/auth/auth.module.css";

function when(ms: number | null): string {
  return ms ? new Date(ms).toLocaleString() : "—";
}

export function AllTokensPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tokens = useQuery(trpc.auth.allTokens.queryOptions());
  const [notice, setNotice] = useState<string | null>(null);
  const revoke = useMutation(
    trpc.auth.revokeAnyToken.mutationOptions({
      onSuccess: (_, input) => {
        const token = tokens.data?.find((t) => t.tokenId === input.tokenId);
        setNotice(token ? `Revoked ${token.owner}'s token ${token.name}: it stops working at once.` : "Token revoked.");
        void queryClient.invalidateQueries({ queryKey: trpc.auth.allTokens.queryKey() });
      },
    }),
  );

  return (
    <section className={styles.section} aria-labelledby="all-tokens">
      <h2 id="all-tokens">Every user&apos;s tokens</h2>
      {notice ? <p role="status">{notice}</p> : null}
      {tokens.error ? <p className={styles.error} role="alert">{tokens.error.message}</p> : null}
      {revoke.error ? <p className={styles.error} role="alert">{revoke.error.message}</p> : null}
      {tokens.data && tokens.data.length === 0 ? (
        <p className={styles.hint}>Nobody has an API token yet. Users create their own on the API tokens page.</p>
      ) : null}
      {tokens.data && tokens.data.length > 0 ? (
        <table className={styles.table}>
          <thead>
            <tr>
              <th scope="col">Owner</th>
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
            {tokens.data.map((t) => (
              <tr key={t.tokenId}>
                <td>{t.owner}</td>
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
                      disabled={revoke.isPending}
                      onClick={() => revoke.mutate({ tokenId: t.tokenId })}
                      aria-label={`Revoke ${t.owner}'s token ${t.name}`}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
