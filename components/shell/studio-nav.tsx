"use client";
// The studio's side navigation: one link per journey area, the current one marked for sight and screen readers.
import Link from "next/link";
import { usePathname } from "next/navigation";
import styles from "./shell.module.css";

export const studioSections = [
  { href: "/experiments", label: "Experiments" },
  { href: "/datasets", label: "Datasets" },
  { href: "/models", label: "Models" },
  { href: "/reviews", label: "Reviews" },
  { href: "/deployments", label: "Deployments" },
] as const;

export function StudioNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Studio" className={styles.nav}>
      <ul>
        {studioSections.map((section) => {
          // A run page still belongs to Experiments, so sub-paths mark their section too.
          const active = pathname === section.href || pathname.startsWith(`${section.href}/`);
          return (
            <li key={section.href}>
              <Link href={section.href} className={styles.navLink} aria-current={active ? "page" : undefined}>
                {section.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
