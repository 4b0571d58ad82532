"use client";
// Username + password form; on success goes to the page the user came from (same-site paths only).
import { useRouter, useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import styles from "./auth.module.css";
import { safeNextPath } from "./safe-next";

export function SignInForm() {
  const router = useRouter();
  const t = useTranslations("shell.signIn");
  const params = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const response = await fetch("/api/auth/sign-in", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: form.get("username"), password: form.get("password") }),
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { message?: string };
        setError(body.message ?? t("failed"));
        return;
      }
      router.replace(safeNextPath(params.get("next"), window.location.origin));
      router.refresh();
    } catch {
      setError(t("unreachable"));
    } finally {
      setPending(false);
    }
  }

  return (
    <form className={styles.card} onSubmit={submit} aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t("title")}</h1>
      <div className={styles.field}>
        <label htmlFor="username">{t("username")}</label>
        <input id="username" name="username" autoComplete="username" required autoFocus maxLength={64} />
      </div>
      <div className={styles.field}>
        <label htmlFor="password">{t("password")}</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required maxLength={256} />
      </div>
      {error ? (
        <p className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
      <button className={styles.button} type="submit" disabled={pending}>
        {pending ? t("pending") : t("submit")}
      </button>
      <p className={styles.hint}>
        {t("firstStart")}
      </p>
    </form>
  );
}
