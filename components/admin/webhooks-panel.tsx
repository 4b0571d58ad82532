"use client";
// Admin: webhooks (URL, secret, events, enabled) and each one's delivery log with "Send again"; the hook shown is kept in the URL.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc-provider";
import { useServerSentence } from "@/components/ui/use-server-sentence";
import styles from "@/components/auth/auth.module.css";
import { studioEventTypes, type StudioEventType, type WebhookSummary } from "@/server/notifications/schema";
import { useErrorText, useFieldErrorTexts } from "@/components/ui/use-error-text";

/** Catalogue keys cannot hold a dot: review.requested is review_requested there. */
const eventKeys = {
  "review.requested": "review_requested",
  "review.decided": "review_decided",
  "model.promoted": "model_promoted",
  "model.rolled_back": "model_rolled_back",
  "canary.stopped": "canary_stopped",
  "monitoring.flagged": "monitoring_flagged",
  "dataset.quality_failed": "dataset_quality_failed",
} as const satisfies Record<StudioEventType, string>;

/** An event type's name in the reader's language (a type this page does not know yet shows as it is). */
function useEventLabel(): (type: string) => string {
  const t = useTranslations("webhooks.events");
  return (type) => (type in eventKeys ? t(eventKeys[type as StudioEventType]) : type);
}

export function WebhooksPanel() {
  const t = useTranslations("webhooks");
  const eventLabel = useEventLabel();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const shown = Number(params.get("hook")) || null;
  const hooks = useQuery(trpc.notifications.webhooks.queryOptions(undefined, { refetchInterval: 5000 }));
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[] | undefined>>({});
  const fieldErrorTexts = useFieldErrorTexts();
  const errorText = useErrorText();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.notifications.pathKey() });
  const create = useMutation(
    trpc.notifications.createWebhook.mutationOptions({
      onSuccess: (result, input) => {
        setCreated({ name: input.name, secret: result.secret });
        setFieldErrors({});
        void refresh();
        router.replace(`${pathname}?hook=${result.hookId}`);
      },
      onError: (error) => setFieldErrors(fieldErrorTexts(error)),
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
        <h2 id="new-webhook">{t("form.heading")}</h2>
        <div className={styles.inline}>
          <div className={styles.field}>
            <label htmlFor="webhook-name">{t("form.name")}</label>
            <input id="webhook-name" name="name" required maxLength={100} aria-describedby="webhook-name-error" />
            {fieldError("name")}
          </div>
          <div className={styles.field}>
            <label htmlFor="webhook-url">{t("form.url")}</label>
            <input id="webhook-url" name="url" type="url" required size={40} placeholder="https://hooks.example.com/studio" aria-describedby="webhook-url-error" />
            {fieldError("url")}
          </div>
          <div className={styles.field}>
            <label htmlFor="webhook-secret">{t("form.secret")}</label>
            <input id="webhook-secret" name="secret" type="password" autoComplete="new-password" minLength={16} aria-describedby="webhook-secret-error" />
            {fieldError("secret")}
          </div>
        </div>
        <fieldset>
          <legend>{t("form.events")}</legend>
          {studioEventTypes.map((type) => (
            <label key={type} style={{ marginRight: "1rem", whiteSpace: "nowrap" }}>
              <input type="checkbox" name="events" value={type} defaultChecked={type.startsWith("review.")} /> {eventLabel(type)}
            </label>
          ))}
          {fieldError("events")}
        </fieldset>
        <label>
          <input type="checkbox" name="enabled" defaultChecked /> {t("form.enabled")}
        </label>{" "}
        <button className={styles.button} type="submit" disabled={create.isPending}>
          {t("form.submit")}
        </button>
        {create.error && !Object.keys(fieldErrors).length ? (
          <p className={styles.error} role="alert">
            {errorText(create.error)}
          </p>
        ) : null}
      </form>
      {created ? (
        <div className={styles.section} role="status">
          <p>
            {t.rich("created.message", {
              name: created.name,
              signed: `<x-studio-timestamp>.<${t("created.rawBody")}>`,
              strong: (chunks) => <strong>{chunks}</strong>,
              code: (chunks) => <code>{chunks}</code>,
            })}
          </p>
          <p className={styles.secret} data-testid="webhook-secret">
            {created.secret}
          </p>
          <button type="button" className={styles.secondary} onClick={() => setCreated(null)}>
            {t("created.kept")}
          </button>
        </div>
      ) : null}
      {hooks.error ? (
        <p className={styles.error} role="alert">
          {hooks.error.message}
        </p>
      ) : null}
      {hooks.data && hooks.data.length === 0 ? <p className={styles.hint}>{t("empty")}</p> : null}
      {hooks.data && hooks.data.length > 0 ? (
        <table className={styles.table} aria-label={t("table.label")}>
          <thead>
            <tr>
              <th scope="col">{t("table.name")}</th>
              <th scope="col">{t("table.url")}</th>
              <th scope="col">{t("table.events")}</th>
              <th scope="col">{t("table.secret")}</th>
              <th scope="col">{t("table.deliveries")}</th>
              <th scope="col">{t("table.enabled")}</th>
              <th scope="col">{t("table.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {hooks.data.map((hook) => (
              <tr key={hook.hookId}>
                <td>{hook.name}</td>
                <td>
                  <code>{hook.url}</code>
                </td>
                <td>{hook.events.map(eventLabel).join(", ")}</td>
                <td>
                  <code>{hook.secretHint}</code>
                </td>
                <td>
                  {t("deliveryCounts", hook.deliveries)}
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={t("enabledFor", { name: hook.name })}
                    checked={hook.enabled}
                    onChange={(e) => update.mutate({ hookId: hook.hookId, enabled: e.target.checked })}
                  />
                </td>
                <td>
                  <button type="button" className={styles.secondary} aria-pressed={shown === hook.hookId} onClick={() => router.replace(`${pathname}?hook=${hook.hookId}`)}>
                    {t("showLog")}
                  </button>{" "}
                  <button
                    type="button"
                    className={styles.danger}
                    onClick={() => {
                      if (window.confirm(t("confirmDelete", { name: hook.name }))) remove.mutate({ hookId: hook.hookId });
                    }}
                  >
                    {t("delete")}
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
  const t = useTranslations("webhooks");
  const eventLabel = useEventLabel();
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
      <h2 id="edit-webhook">{t("edit.heading", { name: hook.name })}</h2>
      <div className={styles.inline}>
        <div className={styles.field}>
          <label htmlFor="edit-webhook-url">{t("edit.url")}</label>
          <input id="edit-webhook-url" name="url" type="url" required size={40} defaultValue={hook.url} />
        </div>
        <div className={styles.field}>
          <label htmlFor="edit-webhook-secret">{t("edit.secret", { hint: hook.secretHint })}</label>
          <input id="edit-webhook-secret" name="secret" type="password" autoComplete="new-password" minLength={16} />
        </div>
      </div>
      <fieldset>
        <legend>{t("form.events")}</legend>
        {studioEventTypes.map((type) => (
          <label key={type} style={{ marginRight: "1rem", whiteSpace: "nowrap" }}>
            <input type="checkbox" name="events" value={type} defaultChecked={hook.events.includes(type)} /> {eventLabel(type)}
          </label>
        ))}
      </fieldset>
      <button className={styles.button} type="submit" disabled={update.isPending}>
        {t("edit.submit")}
      </button>
      {saved ? <span role="status"> {t("edit.saved")}</span> : null}
      {update.error ? (
        <p className={styles.error} role="alert">
          {update.error.message}
        </p>
      ) : null}
    </form>
  );
}

function DeliveryLog({ hookId, name }: { hookId: number; name: string }) {
  const t = useTranslations("webhooks");
  const say = useServerSentence();
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
      <h2 id="delivery-log">{t("log.heading", { name })}</h2>
      {resend.error ? (
        <p className={styles.error} role="alert">
          {resend.error.message}
        </p>
      ) : null}
      {deliveries.data && deliveries.data.length === 0 ? <p className={styles.hint}>{t("log.empty")}</p> : null}
      {deliveries.data && deliveries.data.length > 0 ? (
        <table className={styles.table} aria-label={t("log.label", { name })}>
          <thead>
            <tr>
              <th scope="col">{t("log.when")}</th>
              <th scope="col">{t("log.event")}</th>
              <th scope="col">{t("log.status")}</th>
              <th scope="col">{t("log.response")}</th>
              <th scope="col">{t("log.attempts")}</th>
              <th scope="col">{t("log.errorOrNext")}</th>
              <th scope="col">{t("log.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.data.map((d) => (
              <tr key={d.deliveryId} data-testid="delivery-row">
                <td>{new Date(d.createdAt).toLocaleString()}</td>
                <td>
                  <code>{d.eventType}</code>
                  <br />
                  {say(d.message, d.text)}
                </td>
                <td>{t(`statuses.${d.status}`)}</td>
                <td>{d.responseCode ?? "—"}</td>
                <td>{d.attempts}</td>
                <td>
                  {d.error === null ? "" : say(d.errorMessage, d.error)}
                  {d.nextAttemptAt && d.status === "pending" && d.attempts > 0 ? ` ${t("log.nextAttempt", { time: new Date(d.nextAttemptAt).toLocaleTimeString() })}` : ""}
                </td>
                <td>
                  <button type="button" className={styles.secondary} disabled={resend.isPending} onClick={() => resend.mutate({ deliveryId: d.deliveryId })}>
                    {t("log.sendAgain")}
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
