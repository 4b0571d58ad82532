"use client";
// The user's personal access tokens: create (the secret is shown once), list with last use, revoke.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc-provider";
import styles from "./auth.module.css";
import { TokensTable } from "./tokens-table";

export function TokensPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tokens = useQuery(trpc.auth.tokens.queryOptions());
  const [created, setCreated] = useState<{ token: string; scope: "all" | "serve" } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.auth.tokens.queryKey() });
  const create = useMutation(
    trpc.auth.createToken.mutationOptions({
      onSuccess: (result) => {
        setCreated({ token: result.token, scope: result.summary.scopes.includes("all") ? "all" : "serve" });
        void refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.auth.revokeToken.mutationOptions({ onSuccess: () => void refresh() }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const days = String(form.get("expires") ?? "");
    const scope = form.get("scope") === "serve" ? "serve" : "all";
    create.mutate({ name: String(form.get("name") ?? ""), expiresInDays: days ? Number(days) : null, scope });
    event.currentTarget.reset();
  }

  return (
    <>
      <section className={styles.section} aria-labelledby="new-token">
        <h2 id="new-token">New token</h2>
        <form className={styles.inline} onSubmit={submit}>
          <div className={styles.field}>
            <label htmlFor="token-name">Name</label>
            <input id="token-name" name="name" required maxLength={100} placeholder="training scripts" />
          </div>
          <div className={styles.field}>
            <label htmlFor="token-expiry">Expires</label>
            <select id="token-expiry" name="expires" defaultValue="90">
              <option value="7">in 7 days</option>
              <option value="30">in 30 days</option>
              <option value="90">in 90 days</option>
              <option value="365">in a year</option>
              <option value="">never</option>
            </select>
          </div>
          <div className={styles.field}>
            <label htmlFor="token-scope">Scope</label>
            <select id="token-scope" name="scope" defaultValue="all">
              <option value="all">everything I may do</option>
              <option value="serve">model serving only</option>
            </select>
          </div>
          <button className={styles.button} type="submit" disabled={create.isPending}>
            Create token
          </button>
        </form>
        {create.error ? <p className={styles.error} role="alert">{create.error.message}</p> : null}
        {created ? (
          <div role="status">
            <p>Copy this token now: it will not be shown again.</p>
            <p className={styles.secret} data-testid="new-token">{created.token}</p>
            {created.scope === "all" ? (
              <p className={styles.hint}>
                Use it with the MLflow client: <code>export MLFLOW_TRACKING_TOKEN=&lt;token&gt;</code>
              </p>
            ) : (
              <p className={styles.hint}>
                It may only call model serving: <code>curl -H &quot;Authorization: Bearer &lt;token&gt;&quot; …/api/serve/&lt;model&gt;/invocations</code> or <code>/v2/models/&lt;model&gt;/infer</code>.
              </p>
            )}
          </div>
        ) : null}
      </section>
      <section className={styles.section} aria-labelledby="your-tokens">
        <h2 id="your-tokens">Your tokens</h2>
        {tokens.error ? <p className={styles.error} role="alert">{tokens.error.message}</p> : null}
        {tokens.data && tokens.data.length === 0 ? <p className={styles.hint}>No tokens yet: create one above to log runs from scripts.</p> : null}
        {tokens.data && tokens.data.length > 0 ? (
          <TokensTable tokens={tokens.data} onRevoke={(tokenId) => revoke.mutate({ tokenId })} />
        ) : null}
      </section>
    </>
  );
}
