"use client";
// The signed-in user's name and role, links to tokens and admin pages, sign-out, and the loud auth-off banner.
import Link from "@/components/ui/intent-link";
import { useRouter } from "next/navigation";
import { useRef } from "react";
import { useTranslations } from "next-intl";
import { useCurrentUser } from "./use-permission";
import styles from "./auth.module.css";

export function AuthOffBanner() {
  const me = useCurrentUser();
  const t = useTranslations("shell.account");
  if (!me.data?.authDisabled) return null;
  return (
    <div className={styles.banner} role="alert">
      {t("authOff")}
    </div>
  );
}

const adminPages = [
  ["/admin/users", "users"],
  ["/admin/tokens", "allTokens"],
  ["/admin/permissions", "permissions"],
  ["/admin/audit", "auditLog"],
  ["/admin/webhooks", "webhooks"],
  ["/admin/jobs", "jobs"],
  ["/admin/erasure", "erasure"],
] as const;

export function UserMenu() {
  const me = useCurrentUser();
  const router = useRouter();
  const t = useTranslations("shell.account");
  const adminMenu = useRef<HTMLDetailsElement>(null);
  const actor = me.data?.actor;
  if (!actor) return null;

  async function signOut() {
    await fetch("/api/auth/sign-out", { method: "POST" });
    router.replace("/sign-in");
    router.refresh();
  }

  const isAdmin = me.data?.permissions.includes("users.manage");
  return (
    <nav aria-label={t("nav")} className="user-menu">
      <span className="user-menu-name">
        {actor.username} <span className="user-menu-role">({actor.role})</span>
      </span>
      <Link href="/settings" data-testid="user-menu-settings">{t("settings")}</Link>
      <Link href="/settings/tokens">{t("tokens")}</Link>
      {isAdmin ? (
        // The admin pages sit in one menu: side by side they made the header wrap at 1280 px.
        <details ref={adminMenu} className="user-menu-admin">
          <summary>{t("admin")}</summary>
          <div className="user-menu-admin-panel">
            {adminPages.map(([href, key]) => (
              // A followed link closes the menu: the shell stays on screen across the navigation.
              <Link key={href} href={href} onClick={() => adminMenu.current?.removeAttribute("open")}>
                {t(key)}
              </Link>
            ))}
          </div>
        </details>
      ) : null}
      {me.data?.authDisabled ? null : (
        <button type="button" className={styles.secondary} onClick={signOut}>
          {t("signOut")}
        </button>
      )}
    </nav>
  );
}
