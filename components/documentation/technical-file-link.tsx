"use client";
// The version page's way to its technical file (model card, Annex IV documentation, PDF and JSON exports).
import Link from "@/components/ui/intent-link";
import { useTranslations } from "next-intl";
import { modelVersionHref } from "@/components/models/model-format";
import ui from "@/components/ui/ui.module.css";

export const technicalFilePageHref = (name: string, version: string | number) => `${modelVersionHref(name, version)}/technical-file`;

export function TechnicalFileLink({ name, version }: { name: string; version: string }) {
  const t = useTranslations("technicalFile");
  return (
    <p>
      <Link className={ui.secondary} href={technicalFilePageHref(name, version)} data-testid="technical-file-link">
        {t("page.openTechnicalFile")}
      </Link>
    </p>
  );
}
