"use client";
// The signed-in user's name and role, links to tokens and admin pages, sign-out, and the loud auth-off banner.
import Link from "next/link";
import { useRouter } from "next/navigation";
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

export function UserMenu() {
  const me = useCurrentUser();
  const router = useRouter();
  const t = useTranslations("shell.account");
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
        <>
          <Link href="/admin/users">{t("users")}</Link>
          <Link href="/admin/tokens">{t("allTokens")}</Link>
          <Link href="/admin/permissions">{t("permissions")}</Link>
          <Link href="/admin/audit">{t("auditLog")}</Link>
        </>
      ) : null}
      {me.data?.authDisabled ? null : (
        <button type="button" className={styles.secondary} onClick={signOut}>
          {t("signOut")}
        </button>
      )}
    </nav>
  );
}
