// A model version's SHA-256 shown short (the first 12 hex digits, as serving's x-model-digest begins) with the full value
// for copying and for screen readers.
import { useTranslations } from "next-intl";
import ui from "@/components/ui/ui.module.css";

export function ModelDigest({ digest }: { digest: string | null }) {
  const t = useTranslations("common.modelDigest");
  if (!digest) return <span className={ui.muted}>{t("notPinned")}</span>;
  return (
    <code title={`sha256:${digest}`} aria-label={t("label", { digest })}>
      sha256:{digest.slice(0, 12)}…
    </code>
  );
}
