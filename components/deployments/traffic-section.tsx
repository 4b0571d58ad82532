"use client";
// Canary and shadow of each production deployment: what runs beside production, the forms that start, change and stop
// them (approved versions only for a canary), the guard rules and an on-demand check, and the live comparison.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc-provider";
import ui from "@/components/ui/ui.module.css";
import type { GuardOutcome, GuardRules, TrafficConfig } from "@/server/deployments/schema";
import type { Deployment } from "@/server/monitoring/schema";
import { useServerSentence, useServerSentenceList } from "@/components/ui/use-server-sentence";
import { TrafficComparisonView } from "./traffic-comparison";
import styles from "./deployments.module.css";
import { useErrorText } from "@/components/ui/use-error-text";

export function TrafficSection({ deployments, canPromote }: { deployments: readonly Deployment[]; canPromote: boolean }) {
  const t = useTranslations("traffic");
  const ids = useId();
  const production = deployments.filter((d) => d.alias === "production").map((d) => d.modelName);
  return (
    <section aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t("title")}</h2>
      <p className={ui.muted}>{t("intro")}</p>
      {production.length === 0 ? <p className={ui.panel}>{t("noProduction")}</p> : null}
      {production.map((name) => (
        <ModelTraffic key={name} name={name} canPromote={canPromote} />
      ))}
    </section>
  );
}

/** Loaded when opened: a studio with many models reads the traffic of the one it looks at. */
function ModelTraffic({ name, canPromote }: { name: string; canPromote: boolean }) {
  const t = useTranslations("traffic");
  const [open, setOpen] = useState(false);
  return (
    <details className={styles.history} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>{t("panelTitle", { model: name })}</summary>
      {open ? <ModelTrafficPanel name={name} canPromote={canPromote} /> : null}
    </details>
  );
}

function ModelTrafficPanel({ name, canPromote }: { name: string; canPromote: boolean }) {
  const errorText = useErrorText();
  const t = useTranslations("traffic");
  const trpc = useTRPC();
  const ids = useId();
  const traffic = useQuery(trpc.deployments.traffic.queryOptions({ name }, { refetchInterval: 5_000 }));
  if (traffic.error) return <p role="alert" className={ui.error}>{errorText(traffic.error)}</p>;
  if (traffic.isPending) return <p role="status">{t("loading", { model: name })}</p>;
  return (
    <div className={ui.panel} role="region" aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`} className={ui.panelTitle}>
        {t("panelTitle", { model: name })}
      </h3>
      <TrafficState config={traffic.data} />
      {canPromote ? <TrafficForms config={traffic.data} /> : null}
      <TrafficComparisonView name={name} />
    </div>
  );
}

function TrafficState({ config }: { config: TrafficConfig }) {
  const t = useTranslations("traffic.state");
  const say = useServerSentence();
  const format = useFormatter();
  return (
    <div aria-live="polite" data-testid="traffic-state">
      <p>
        {config.canary
          ? config.canary.share > 0
            ? t("canary", { version: config.canary.version, share: format.number(config.canary.share, { style: "percent", maximumFractionDigits: 1 }) })
            : t("canaryStopped", { version: config.canary.version })
          : t("noCanary")}{" "}
        {config.shadow ? t("shadow", { version: config.shadow.version }) : t("noShadow")}
      </p>
      {config.lastGuardAction ? <p className={styles.reasonsBlock}>{t("lastAction", { action: say(config.lastGuardActionMessage, config.lastGuardAction) })}</p> : null}
    </div>
  );
}

function useVersions(name: string): string[] {
  const trpc = useTRPC();
  const detail = useQuery(trpc.registry.model.queryOptions({ name }));
  return detail.data?.versions.map((entry) => String(entry.version)) ?? [];
}

function numberOrNull(text: string, scale = 1): number | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value / scale : Number.NaN;
}

function TrafficForms({ config }: { config: TrafficConfig }) {
  const errorText = useErrorText();
  const t = useTranslations("traffic");
  const sayAll = useServerSentenceList();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = useId();
  const versions = useVersions(config.modelName).filter((v) => v !== config.productionVersion);
  const [canaryVersion, setCanaryVersion] = useState(config.canary?.version ?? "");
  const [share, setShare] = useState(config.canary && config.canary.share > 0 ? String(Math.round(config.canary.share * 1000) / 10) : "10");
  const [shadowVersion, setShadowVersion] = useState(config.shadow?.version ?? "");
  const [guards, setGuards] = useState(() => guardText(config.guards));
  const [autoRollback, setAutoRollback] = useState(config.guards.autoRollback);
  const [outcome, setOutcome] = useState<GuardOutcome | null>(null);
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: trpc.deployments.pathKey() }), queryClient.invalidateQueries({ queryKey: trpc.monitoring.pathKey() })]);
  const configure = useMutation(trpc.deployments.configureTraffic.mutationOptions({ onSuccess: refresh }));
  const check = useMutation(trpc.deployments.evaluateGuards.mutationOptions({ onSuccess: (result) => (setOutcome(result), refresh()) }));
  const promote = useMutation(trpc.deployments.promoteCanary.mutationOptions({ onSuccess: refresh }));
  const running = config.canary !== null && config.canary.share > 0;
  const name = config.modelName;

  function submitCanary(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    configure.mutate({ name, canary: { version: canaryVersion, share: Number(share) / 100 } });
  }
  function submitShadow(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    configure.mutate({ name, shadow: { version: shadowVersion } });
  }
  function submitGuards(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    configure.mutate({
      name,
      guards: {
        maxErrorRate: numberOrNull(guards.maxErrorRate, 100),
        maxP99Ms: numberOrNull(guards.maxP99Ms),
        maxLiveMetricDrop: numberOrNull(guards.maxLiveMetricDrop),
        maxDriftShare: numberOrNull(guards.maxDriftShare, 100),
        minRequests: Number(guards.minRequests) || 20,
        autoRollback,
      },
    });
  }
  const guardField = (key: keyof typeof guards) => (
    <div className={ui.field} key={key}>
      <label htmlFor={`${ids}-${key}`}>{t(`guards.${key}`)}</label>
      <input id={`${ids}-${key}`} inputMode="decimal" size={8} value={guards[key]} onChange={(event) => setGuards({ ...guards, [key]: event.target.value })} />
    </div>
  );
  return (
    <>
      <form onSubmit={submitCanary} aria-label={t("canaryForm.legend")}>
        <fieldset>
          <legend>{t("canaryForm.legend")}</legend>
          <div className={ui.toolbarFlush}>
            <div className={ui.field}>
              <label htmlFor={`${ids}-canary`}>{t("canaryForm.version")}</label>
              <select id={`${ids}-canary`} className={styles.select} value={canaryVersion} onChange={(event) => setCanaryVersion(event.target.value)}>
                <option value="">{t("chooseVersion")}</option>
                {versions.map((v) => (
                  <option key={v} value={v}>
                    v{v}
                  </option>
                ))}
              </select>
            </div>
            <div className={ui.field}>
              <label htmlFor={`${ids}-share`}>{t("canaryForm.share")}</label>
              <input id={`${ids}-share`} type="number" min={0} max={50} step={0.1} value={share} onChange={(event) => setShare(event.target.value)} />
            </div>
          </div>
          <p className={ui.actions}>
            <button type="submit" className={ui.button} disabled={!canaryVersion || configure.isPending}>
              {running ? t("canaryForm.update") : t("canaryForm.start")}
            </button>
            {running ? (
              <button type="button" className={ui.button} disabled={configure.isPending} onClick={() => configure.mutate({ name, canary: null })}>
                {t("canaryForm.stop")}
              </button>
            ) : null}
            {config.canary ? (
              <button type="button" className={ui.button} disabled={promote.isPending} onClick={() => promote.mutate({ name })}>
                {t("canaryForm.promote", { version: config.canary.version })}
              </button>
            ) : null}
          </p>
        </fieldset>
      </form>
      <form onSubmit={submitShadow} aria-label={t("shadowForm.legend")}>
        <fieldset>
          <legend>{t("shadowForm.legend")}</legend>
          <div className={ui.field}>
            <label htmlFor={`${ids}-shadow`}>{t("shadowForm.version")}</label>
            <select id={`${ids}-shadow`} className={styles.select} value={shadowVersion} onChange={(event) => setShadowVersion(event.target.value)}>
              <option value="">{t("chooseVersion")}</option>
              {versions.map((v) => (
                <option key={v} value={v}>
                  v{v}
                </option>
              ))}
            </select>
          </div>
          <p className={ui.actions}>
            <button type="submit" className={ui.button} disabled={!shadowVersion || configure.isPending}>
              {t("shadowForm.start")}
            </button>
            {config.shadow ? (
              <button type="button" className={ui.button} disabled={configure.isPending} onClick={() => configure.mutate({ name, shadow: null })}>
                {t("shadowForm.stop")}
              </button>
            ) : null}
          </p>
        </fieldset>
      </form>
      <form onSubmit={submitGuards} aria-label={t("guards.legend")}>
        <fieldset>
          <legend>{t("guards.legend")}</legend>
          <p className={ui.muted}>{t("guards.blank")}</p>
          <div className={ui.toolbarFlush}>{(["maxErrorRate", "maxP99Ms", "maxLiveMetricDrop", "maxDriftShare", "minRequests"] as const).map(guardField)}</div>
          <p>
            <input id={`${ids}-rollback`} type="checkbox" checked={autoRollback} onChange={(event) => setAutoRollback(event.target.checked)} />{" "}
            <label htmlFor={`${ids}-rollback`}>{t("guards.autoRollback")}</label>
          </p>
          <p className={ui.actions}>
            <button type="submit" className={ui.button} disabled={configure.isPending}>
              {t("guards.save")}
            </button>
            <button type="button" className={ui.button} disabled={check.isPending} onClick={() => check.mutate({ name })}>
              {t("guards.check")}
            </button>
          </p>
        </fieldset>
      </form>
      {configure.error ? <p role="alert" className={ui.error}>{errorText(configure.error)}</p> : null}
      {promote.error ? <p role="alert" className={ui.error}>{errorText(promote.error)}</p> : null}
      {check.error ? <p role="alert" className={ui.error}>{errorText(check.error)}</p> : null}
      {configure.isSuccess ? <p role="status">{t("saved")}</p> : null}
      {outcome ? (
        <p role="status" data-testid="guard-outcome">
          {outcome.action === "none" ? t("outcome.none") : t(`outcome.${outcome.action}`, { reasons: sayAll(outcome.reasonMessages, outcome.reasons) })}
          {outcome.productionWarnings.length ? ` ${t("outcome.warnings", { reasons: sayAll(outcome.warningMessages, outcome.productionWarnings) })}` : null}
        </p>
      ) : null}
    </>
  );
}

function guardText(rules: GuardRules) {
  const text = (value: number | null, scale = 1) => (value === null ? "" : String(Math.round(value * scale * 1000) / 1000));
  return {
    maxErrorRate: text(rules.maxErrorRate, 100),
    maxP99Ms: text(rules.maxP99Ms),
    maxLiveMetricDrop: text(rules.maxLiveMetricDrop),
    maxDriftShare: text(rules.maxDriftShare, 100),
    minRequests: String(rules.minRequests),
  };
}
