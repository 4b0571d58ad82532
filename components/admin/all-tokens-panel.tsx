"use client";
// Admin: every user's API tokens with their owner and last use, and revoking any of them (audited).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc-provider";
import styles from "@/components/auth/auth.module.css";
import { TokensTable } from "@/components/auth/tokens-table";

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
        <TokensTable tokens={tokens.data} onRevoke={(tokenId) => revoke.mutate({ tokenId })} revoking={revoke.isPending} />
      ) : null}
    </section>
  );
}
