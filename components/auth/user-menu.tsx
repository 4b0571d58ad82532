"use client";
// The signed-in user's name and role, links to tokens and admin pages, sign-out, and the loud auth-off banner.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCurrentUser } from "./use-permission";
import styles from "./auth.module.css";

export function AuthOffBanner() {
  const me = useCurrentUser();
  if (!me.data?.authDisabled) return null;
  return (
    <div className={styles.banner} role="alert">
      Accounts are switched off (STUDIO_AUTH=off): anyone who can reach this studio acts as an admin. Use this only on a single-user machine.
    </div>
  );
}

export function UserMenu() {
  const me = useCurrentUser();
  const router = useRouter();
  const actor = me.data?.actor;
  if (!actor) return null;

  async function signOut() {
    await fetch("/api/auth/sign-out", { method: "POST" });
    router.replace("/sign-in");
    router.refresh();
  }

  const isAdmin = me.data?.permissions.includes("users.manage");
  return (
    <nav aria-label="Account" className="user-menu">
      <span className="user-menu-name">
        {actor.username} <span className="user-menu-role">({actor.role})</span>
      </span>
      <Link href="/settings/tokens">API tokens</Link>
      {isAdmin ? (
        <>
          <Link href="/admin/users">Users</Link>
          <Link href="/admin/tokens">All tokens</Link>
          <Link href="/admin/permissions">Permissions</Link>
          <Link href="/admin/audit">Audit log</Link>
        </>
      ) : null}
      {me.data?.authDisabled ? null : (
        <button type="button" className={styles.secondary} onClick={signOut}>
          Sign out
        </button>
      )}
    </nav>
  );
}
