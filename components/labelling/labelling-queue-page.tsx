"use client";
// A model's labelling queue: how it samples (editors and admins set it and fill it), its progress and agreement rate,
// the way to the labelling page, and the export of agreed labels as a dataset version.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import { usePermission } from "@/components/auth/use-permission";
import { datasetVersionHref, modelHref } from "@/components/models/model-format";
import { useTRPC } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import ui from "@/components/ui/ui.module.css";
import { labellingStrategies, type LabellingStrategy } from "@/lib/labelling-strategies";
import type { LabellingQueue } from "@/server/labelling/schema";
import { formatAgreement } from "./labelling-format";
import styles from "./labelling.module.css";
import { useErrorText } from "@/components/ui/use-error-text";

export function LabellingQueuePage({ name }: { name: string }) {
  const trpc = useTRPC();
  const t = useTranslations("labelling.manage");
  const canManage = usePermission("labelling.manage");
  const queue = useQuery(trpc.labelling.queue.queryOptions({ name }));
  return (
    <>
      <p className={ui.breadcrumb}>
        <Link href="/models">Models</Link> / <Link href={modelHref(name)}>{name}</Link> /
      </p>
      <h1>{t("title")}</h1>
      {queue.error ? (
        <QueryError error={queue.error} onRetry={() => void queue.refetch()} />
      ) : queue.isPending ? (
        <p role="status">…</p>
      ) : (
        <>
          {queue.data ? <QueueProgress queue={queue.data} name={name} /> : <p className={ui.panel}>{t("notSetUp")}</p>}
          {canManage ? <QueueSettings name={name} queue={queue.data} /> : <p className={ui.muted}>{t("readOnly")}</p>}
          {canManage && queue.data ? <ExportLabels name={name} /> : null}
        </>
      )}
    </>
  );
}

function QueueProgress({ queue, name }: { queue: LabellingQueue; name: string }) {
  const t = useTranslations("labelling.manage");
  const p = queue.progress;
  return (
    <section aria-labelledby="labelling-progress" className={ui.panel}>
      <h2 id="labelling-progress" className={ui.panelTitle}>
        {t("progress")}
      </h2>
      <dl className={styles.stats}>
        <dt>{t("items")}</dt>
        <dd>{p.items}</dd>
        <dt>{t("open")}</dt>
        <dd>{p.open}</dd>
        <dt>{t("agreed")}</dt>
        <dd>{p.agreed}</dd>
        <dt>{t("disputed")}</dt>
        <dd>{p.disputed}</dd>
        <dt>{t("awaitingThird")}</dt>
        <dd>{p.awaitingThird}</dd>
        <dt>{t("agreementRate")}</dt>
        <dd>{p.agreementRate === null ? t("noPairs") : t("rate", { rate: formatAgreement(p.agreementRate), pairs: p.pairs })}</dd>
      </dl>
      <p>
        <Link href={`/labelling/${encodeURIComponent(name)}`}>{t("openWorkbench")}</Link>
      </p>
    </section>
  );
}

function QueueSettings({ name, queue }: { name: string; queue: LabellingQueue | null }) {
  const errorText = useErrorText();
  const trpc = useTRPC();
  const t = useTranslations("labelling.manage");
  const queryClient = useQueryClient();
  const ids = useId();
  const [strategy, setStrategy] = useState<LabellingStrategy>(queue?.strategy ?? "low_confidence");
  const [fillSize, setFillSize] = useState(String(queue?.fillSize ?? 50));
  const [labelsRequired, setLabelsRequired] = useState<1 | 2>(queue?.labelsRequired ?? 1);
  const [notice, setNotice] = useState<string | null>(null);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.labelling.pathKey() });
  const configure = useMutation(trpc.labelling.configure.mutationOptions({ onSuccess: invalidate }));
  const fill = useMutation(trpc.labelling.fill.mutationOptions({ onSuccess: invalidate }));

  function save(event: FormEvent) {
    event.preventDefault();
    fill.reset();
    configure.mutate({ name, strategy, fillSize: Number(fillSize), labelsRequired }, { onSuccess: () => setNotice(t("saved")) });
  }
  const error = configure.error ?? fill.error;
  return (
    <section aria-labelledby={`${ids}-title`} className={ui.panel}>
      <h2 id={`${ids}-title`} className={ui.panelTitle}>
        {t("settings")}
      </h2>
      <form aria-label={t("settings")} onSubmit={save}>
        <div className={ui.field}>
          <label htmlFor={`${ids}-strategy`}>{t("strategy")}</label>
          <select id={`${ids}-strategy`} value={strategy} onChange={(e) => setStrategy(e.target.value as LabellingStrategy)}>
            {labellingStrategies.map((option) => (
              <option key={option} value={option}>
                {t(`strategies.${option}`)}
              </option>
            ))}
          </select>
        </div>
        <div className={ui.field}>
          <label htmlFor={`${ids}-size`}>{t("fillSize")}</label>
          <input id={`${ids}-size`} className={ui.input} type="number" min={1} max={5000} required value={fillSize} onChange={(e) => setFillSize(e.target.value)} />
        </div>
        <div className={ui.field}>
          <label htmlFor={`${ids}-required`}>{t("labelsRequired")}</label>
          <select id={`${ids}-required`} value={labelsRequired} onChange={(e) => setLabelsRequired(e.target.value === "2" ? 2 : 1)}>
            <option value={1}>{t("oneLabeller")}</option>
            <option value={2}>{t("twoLabellers")}</option>
          </select>
        </div>
        <p className={ui.actions}>
          <button type="submit" className={ui.button} disabled={configure.isPending}>
            {t("save")}
          </button>
          {queue ? (
            <button
              type="button"
              className={ui.secondary}
              disabled={fill.isPending}
              onClick={() => {
                configure.reset();
                fill.mutate({ name }, { onSuccess: (result) => setNotice(t("filled", result)) });
              }}
            >
              {t("fill")}
            </button>
          ) : null}
        </p>
      </form>
      {error ? (
        <p role="alert" className={ui.error}>
          {errorText(error)}
        </p>
      ) : null}
      <p role="status">{notice}</p>
    </section>
  );
}

function ExportLabels({ name }: { name: string }) {
  const errorText = useErrorText();
  const trpc = useTRPC();
  const t = useTranslations("labelling.manage");
  const ids = useId();
  const [datasetName, setDatasetName] = useState(`${name.replace(/[^A-Za-z0-9._-]/g, "-").replace(/^[^A-Za-z0-9]+/, "")}-labels`);
  const [labelColumn, setLabelColumn] = useState("label");
  const [drop, setDrop] = useState("");
  const exported = useMutation(trpc.labelling.export.mutationOptions());

  function submit(event: FormEvent) {
    event.preventDefault();
    const masking = Object.fromEntries(
      drop
        .split(",")
        .map((column) => column.trim())
        .filter(Boolean)
        .map((column) => [column, { action: "drop" as const }]),
    );
    exported.mutate({ name, datasetName, labelColumn, masking });
  }
  const result = exported.data;
  return (
    <section aria-labelledby={`${ids}-title`} className={ui.panel}>
      <h2 id={`${ids}-title`} className={ui.panelTitle}>
        {t("export")}
      </h2>
      <p className={ui.muted}>{t("exportIntro")}</p>
      <form aria-label={t("export")} onSubmit={submit}>
        <div className={ui.field}>
          <label htmlFor={`${ids}-dataset`}>{t("datasetName")}</label>
          <input id={`${ids}-dataset`} className={ui.input} required maxLength={200} value={datasetName} onChange={(e) => setDatasetName(e.target.value)} />
        </div>
        <div className={ui.field}>
          <label htmlFor={`${ids}-label`}>{t("labelColumn")}</label>
          <input id={`${ids}-label`} className={ui.input} required maxLength={200} value={labelColumn} onChange={(e) => setLabelColumn(e.target.value)} />
        </div>
        <div className={ui.field}>
          <label htmlFor={`${ids}-drop`}>{t("dropColumns")}</label>
          <input id={`${ids}-drop`} className={ui.input} value={drop} onChange={(e) => setDrop(e.target.value)} />
        </div>
        <p>
          <button type="submit" className={ui.button} disabled={exported.isPending}>
            {t("exportButton")}
          </button>
        </p>
      </form>
      {exported.error ? (
        <p role="alert" className={ui.error}>
          {errorText(exported.error)}
        </p>
      ) : null}
      <div role="status">
        {result ? (
          <p>
            {t(result.created ? "exported" : "exportedSame", { dataset: result.dataset, version: result.version, rows: result.rows })}{" "}
            <Link href={datasetVersionHref(result.dataset, result.version)}>{t("openVersion")}</Link>
          </p>
        ) : null}
      </div>
    </section>
  );
}
