"use client";
// Admin: webhooks (URL, secret, events, enabled) and each one's delivery log with "Send again"; the hook shown is kept in the URL.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc-provider";
import styles from "@/components/auth/auth.module.css";
import { studioEventTypes, type StudioEventType, type WebhookSummary } from "@/server/notifications/schema";

const eventLabels: Record<StudioEventType, string> = {
  "review.requested": "Review requested",
  "review.decided": "Review decided",
  "model.promoted": "Promotion to production",
  "model.rolled_back": "Rollback (by hand or automatic)",
  "canary.stopped": "Canary stopped",
  "monitoring.flagged": "Drift or live-metric flag",
  "dataset.quality_failed": "Dataset quality failure",
};

export function WebhooksPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const shown = Number(params.get("hook")) || null;
  const hooks = useQuery(trpc.notifications.webhooks.queryOptions(undefined, { refetchInterval: 5000 }));
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[] | undefined>>({});
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.notifications.pathKey() });
  const create = useMutation(
    trpc.notifications.createWebhook.mutationOptions({
      onSuccess: (result, input) => {
        setCreated({ name: input.name, secret: result.secret });
        setFieldErrors({});
        void refresh();
        router.replace(`${pathname}?hook=${result.hookId}`);
      },
      onError: (error) => setFieldErrors(error.data?.fieldErrors ?? {}),
    }),
  );
  const update = useMutation(trpc.notifications.updateWebhook.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.notifications.deleteWebhook.mutationOptions({ onSuccess: refresh }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const secret = String(form.get("secret") ?? "");
    create.mutate({
      name: String(form.get("name") ?? ""),
      url: String(form.get("url") ?? ""),
      ...(secret ? { secret } : {}),
      events: form.getAll("events").map(String) as StudioEventType[],
      enabled: form.get("enabled") === "on",
    });
  }
  const fieldError = (name: string) =>
    fieldErrors[name]?.length ? (
      <span className={styles.error} id={`webhook-${name}-error`}>
        {fieldErrors[name]!.join(" ")}
      </span>
    ) : null;

  return (
    <>
      <form className={styles.section} onSubmit={submit} aria-labelledby="new-webhook">
        <h2 id="new-webhook">New webhook</h2>
        <div className={styles.inline}>
          <div className={styles.field}>
            <label htmlFor="webhook-name">Name</label>
            <input id="webhook-name" name="name" required maxLength={100} aria-describedby="webhook-name-error" />
            {fieldError("name")}
          </div>
          <div className={styles.field}>
            <label htmlFor="webhook-url">URL (http or https)</label>
            <input id="webhook-url" name="url" type="url" required size={40} placeholder="https://hooks.example.com/studio" aria-describedby="webhook-url-error" />
            {fieldError("url")}
          </div>
          <div className={styles.field}>
            <label htmlFor="webhook-secret">Secret (blank: generate one)</label>
            <input id="webhook-secret" name="secret" type="password" autoComplete="new-password" minLength={16} aria-describedby="webhook-secret-error" />
            {fieldError("secret")}
          </div>
        </div>
        <fieldset>
          <legend>Events</legend>
          {studioEventTypes.map((type) => (
            <label key={type} style={{ marginRight: "1rem", whiteSpace: "nowrap" }}>
              <input type="checkbox" name="events" value={type} defaultChecked={type.startsWith("review.")} /> {eventLabels[type]}
            </label>
          ))}
          {fieldError("events")}
        </fieldset>
        <label>
          <input type="checkbox" name="enabled" defaultChecked /> Enabled
        </label>{" "}
        <button className={styles.button} type="submit" disabled={create.isPending}>
          Add webhook
        </button>
        {create.error && !Object.keys(fieldErrors).length ? (
          <p className={styles.error} role="alert">
            {create.error.message}
          </p>
        ) : null}
      </form>
      {created ? (
        <div className={styles.section} role="status">
          <p>
            Webhook <strong>{created.name}</strong> added. Its signing secret is shown this once: give it to the receiver, which checks the{" "}
            <code>x-studio-signature</code> header (<code>sha256=</code> HMAC-SHA256 of <code>&lt;x-studio-timestamp&gt;.&lt;raw body&gt;</code>).
          </p>
          <p className={styles.secret} data-testid="webhook-secret">
            {created.secret}
          </p>
          <button type="button" className={styles.secondary} onClick={() => setCreated(null)}>
            I have kept it
          </button>
        </div>
      ) : null}
      {hooks.error ? (
        <p className={styles.error} role="alert">
          {hooks.error.message}
        </p>
      ) : null}
      {hooks.data && hooks.data.length === 0 ? <p className={styles.hint}>No webhooks yet: add one above to tell a chat channel or another system about reviews, promotions and incidents.</p> : null}
      {hooks.data && hooks.data.length > 0 ? (
        <table className={styles.table} aria-label="Webhooks">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">URL</th>
              <th scope="col">Events</th>
              <th scope="col">Secret</th>
              <th scope="col">Deliveries</th>
              <th scope="col">Enabled</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {hooks.data.map((hook) => (
              <tr key={hook.hookId}>
                <td>{hook.name}</td>
                <td>
                  <code>{hook.url}</code>
                </td>
                <td>{hook.events.map((e) => eventLabels[e as StudioEventType] ?? e).join(", ")}</td>
                <td>
                  <code>{hook.secretHint}</code>
                </td>
                <td>
                  {hook.deliveries.delivered} delivered, {hook.deliveries.failed} failed, {hook.deliveries.pending} waiting
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Enabled: ${hook.name}`}
                    checked={hook.enabled}
                    onChange={(e) => update.mutate({ hookId: hook.hookId, enabled: e.target.checked })}
                  />
                </td>
                <td>
                  <button type="button" className={styles.secondary} aria-pressed={shown === hook.hookId} onClick={() => router.replace(`${pathname}?hook=${hook.hookId}`)}>
                    Delivery log
                  </button>{" "}
                  <button
                    type="button"
                    className={styles.danger}
                    onClick={() => {
                      if (window.confirm(`Delete webhook '${hook.name}' and its delivery log?`)) remove.mutate({ hookId: hook.hookId });
                    }}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {shown && hooks.data?.some((h) => h.hookId === shown) ? (
        <>
          <EditWebhook key={shown} hook={hooks.data.find((h) => h.hookId === shown)!} />
          <DeliveryLog hookId={shown} name={hooks.data.find((h) => h.hookId === shown)!.name} />
        </>
      ) : null}
    </>
  );
}

/** Change a hook's URL or events, or replace its secret (the old one stops verifying at once). */
function EditWebhook({ hook }: { hook: WebhookSummary }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.notifications.updateWebhook.mutationOptions({
      onSuccess: () => {
        setSaved(true);
        void queryClient.invalidateQueries({ queryKey: trpc.notifications.pathKey() });
      },
    }),
  );
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const form = new FormData(event.currentTarget);
    const secret = String(form.get("secret") ?? "");
    update.mutate({
      hookId: hook.hookId,
      url: String(form.get("url") ?? ""),
      events: form.getAll("events").map(String) as StudioEventType[],
      ...(secret ? { secret } : {}),
    });
  }
  return (
    <form className={styles.section} onSubmit={submit} aria-labelledby="edit-webhook">
      <h2 id="edit-webhook">Change {hook.name}</h2>
      <div className={styles.inline}>
        <div className={styles.field}>
          <label htmlFor="edit-webhook-url">URL</label>
          <input id="edit-webhook-url" name="url" type="url" required size={40} defaultValue={hook.url} />
        </div>
        <div className={styles.field}>
          <label htmlFor="edit-webhook-secret">New secret (blank: keep {hook.secretHint})</label>
          <input id="edit-webhook-secret" name="secret" type="password" autoComplete="new-password" minLength={16} />
        </div>
      </div>
      <fieldset>
        <legend>Events</legend>
        {studioEventTypes.map((type) => (
          <label key={type} style={{ marginRight: "1rem", whiteSpace: "nowrap" }}>
            <input type="checkbox" name="events" value={type} defaultChecked={hook.events.includes(type)} /> {eventLabels[type]}
          </label>
        ))}
      </fieldset>
      <button className={styles.button} type="submit" disabled={update.isPending}>
        Save changes
      </button>
      {saved ? <span role="status"> Saved.</span> : null}
      {update.error ? (
        <p className={styles.error} role="alert">
          {update.error.message}
        </p>
      ) : null}
    </form>
  );
}

function DeliveryLog({ hookId, name }: { hookId: number; name: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const deliveries = useQuery(
    trpc.notifications.deliveries.queryOptions(
      { hookId },
      // While something waits to be sent, the log follows it; a settled log is left alone.
      { refetchInterval: (query) => (query.state.data?.some((d) => d.status === "pending" || d.status === "sending") ? 1000 : 5000) },
    ),
  );
  const resend = useMutation(trpc.notifications.resendDelivery.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.notifications.pathKey() }) }));
  return (
    <section className={styles.section} aria-labelledby="delivery-log">
      <h2 id="delivery-log">Delivery log: {name}</h2>
      {resend.error ? (
        <p className={styles.error} role="alert">
          {resend.error.message}
        </p>
      ) : null}
      {deliveries.data && deliveries.data.length === 0 ? <p className={styles.hint}>Nothing sent yet: deliveries appear here as soon as a subscribed event happens.</p> : null}
      {deliveries.data && deliveries.data.length > 0 ? (
        <table className={styles.table} aria-label={`Deliveries of ${name}`}>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Response</th>
              <th scope="col">Attempts</th>
              <th scope="col">Error or next attempt</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.data.map((d) => (
              <tr key={d.deliveryId} data-testid="delivery-row">
                <td>{new Date(d.createdAt).toLocaleString()}</td>
                <td>
                  <code>{d.eventType}</code>
                  <br />
                  {d.text}
                </td>
                <td>{d.status}</td>
                <td>{d.responseCode ?? "—"}</td>
                <td>{d.attempts}</td>
                <td>
                  {d.error ?? ""}
                  {d.nextAttemptAt && d.status === "pending" && d.attempts > 0 ? ` Next attempt ${new Date(d.nextAttemptAt).toLocaleTimeString()}.` : ""}
                </td>
                <td>
                  <button type="button" className={styles.secondary} disabled={resend.isPending} onClick={() => resend.mutate({ deliveryId: d.deliveryId })}>
                    Send again
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
