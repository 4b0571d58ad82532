"use client";
// The studio's not-found page, inside its shell so the navigation stays at hand: unknown addresses, and pages
// whose experiment, run, model, dataset or review does not exist (their routes call notFound()).
import Link from "@/components/ui/intent-link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { studioSections } from "@/components/shell/studio-nav";

export default function StudioNotFound() {
  const t = useTranslations("shell");
  const pathname = usePathname();
  return (
    <section aria-labelledby="not-found-title">
      <h1 id="not-found-title">{t("notFound.title")}</h1>
      {/* The path is user text: rendered as text, never as HTML. */}
      <p>{t("notFound.body", { path: pathname })}</p>
      <nav aria-label={t("notFound.where")}>
        <ul>
          {studioSections.map((section) => (
            <li key={section.href}>
              <Link href={section.href}>{t(`sections.${section.key}`)}</Link>
            </li>
          ))}
        </ul>
      </nav>
    </section>
  );
}
