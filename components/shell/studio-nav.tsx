"use client";
// The studio's side navigation: one link per journey area, the current one marked for sight and screen readers.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import styles from "./shell.module.css";

export const studioSections = [
  { href: "/experiments", label: "Experiments", key: "experiments" },
  { href: "/datasets", label: "Datasets", key: "datasets" },
  { href: "/models", label: "Models", key: "models" },
  { href: "/reviews", label: "Reviews", key: "reviews" },
  { href: "/deployments", label: "Deployments", key: "deployments" },
] as const;

export function StudioNav() {
  const pathname = usePathname();
  const t = useTranslations("shell");
  return (
    <nav aria-label={t("studioNav")} className={styles.nav}>
      <ul>
        {studioSections.map((section) => {
          // A run page still belongs to Experiments, so sub-paths mark their section too.
          const active = pathname === section.href || pathname.startsWith(`${section.href}/`);
          return (
            <li key={section.href}>
              <Link href={section.href} className={styles.navLink} aria-current={active ? "page" : undefined}>
                {t(`sections.${section.key}`)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
