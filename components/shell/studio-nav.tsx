"use client";
// The studio's side navigation: one link per journey area, the current one marked for sight and screen readers.
import Link from "@/components/ui/intent-link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { useCurrentUser } from "@/components/auth/use-permission";
import type { Permission } from "@/server/auth/permissions";
import styles from "./shell.module.css";

export const studioSections = [
  { href: "/experiments", label: "Experiments", key: "experiments", permission: "studio.read" },
  { href: "/datasets", label: "Datasets", key: "datasets", permission: "studio.read" },
  { href: "/models", label: "Models", key: "models", permission: "studio.read" },
  { href: "/reviews", label: "Reviews", key: "reviews", permission: "studio.read" },
  { href: "/deployments", label: "Deployments", key: "deployments", permission: "studio.read" },
  { href: "/labelling", label: "Labelling", key: "labelling", permission: "labelling.label" },
] as const satisfies readonly { href: string; label: string; key: string; permission: Permission }[];

export function StudioNav() {
  const pathname = usePathname();
  const t = useTranslations("shell");
  const me = useCurrentUser();
  // Until the server says who is signed in every section shows; then only those the role may open (a labeller sees Labelling alone).
  const permissions = me.data?.permissions;
  const sections = permissions ? studioSections.filter((section) => permissions.includes(section.permission)) : studioSections;
  return (
    <nav aria-label={t("studioNav")} className={styles.nav}>
      <ul>
        {sections.map((section) => {
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
