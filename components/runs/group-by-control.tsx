"use client";
// The runs table's "Group by" control: no grouping, or one of the experiments' params or tags.
import { useTranslations } from "next-intl";
import styles from "@/components/ui/ui.module.css";
import { groupParam, type GroupKey } from "@/lib/run-groups";
import tableStyles from "./runs-table.module.css";

export function GroupByControl({
  keys,
  value,
  onChange,
}: {
  keys: { params: string[]; tags: string[] } | undefined;
  value: GroupKey | null;
  onChange: (key: GroupKey | null) => void;
}) {
  const t = useTranslations("runsTable.groupBy");
  const current = value ? groupParam(value) : "";
  // A key named in the link but not (or not yet) among the experiments' keys stays choosable, so the select shows it.
  const params = withKey(keys?.params ?? [], value?.kind === "param" ? value.key : null);
  const tags = withKey(keys?.tags ?? [], value?.kind === "tag" ? value.key : null);
  return (
    <span className={tableStyles.inlineCheck}>
      <label htmlFor="runs-group-by">{t("label")}</label>
      <select
        id="runs-group-by"
        className={`${styles.input} ${tableStyles.groupBy}`}
        value={current}
        onChange={(event) => {
          const [kind, ...rest] = event.target.value.split(".");
          const key = rest.join(".");
          onChange(kind === "params" ? { kind: "param", key } : kind === "tags" ? { kind: "tag", key } : null);
        }}
      >
        <option value="">{t("off")}</option>
        {params.length ? (
          <optgroup label={t("params")}>
            {params.map((key) => (
              <option key={key} value={`params.${key}`}>
                {key}
              </option>
            ))}
          </optgroup>
        ) : null}
        {tags.length ? (
          <optgroup label={t("tags")}>
            {tags.map((key) => (
              <option key={key} value={`tags.${key}`}>
                {key}
              </option>
            ))}
          </optgroup>
        ) : null}
      </select>
    </span>
  );
}

function withKey(keys: string[], key: string | null): string[] {
  return key !== null && !keys.includes(key) ? [...keys, key] : keys;
}
