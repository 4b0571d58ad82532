"use client";
// Username + password form; on success goes to the page the user came from (same-site paths only).
import { useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import styles from "./auth.module.css";
import { safeNextPath } from "./safe-next";

export function SignInForm() {
  const router = useRouter();
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
        setError(body.message ?? "Sign-in failed; try again.");
        return;
      }
      router.replace(safeNextPath(params.get("next"), window.location.origin));
      router.refresh();
    } catch {
      setError("The studio did not answer. Check that it is running, then try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <form className={styles.card} onSubmit={submit} aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in to ModelOps Studio</h1>
      <div className={styles.field}>
        <label htmlFor="username">Username</label>
        <input id="username" name="username" autoComplete="username" required autoFocus maxLength={64} />
      </div>
      <div className={styles.field}>
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required maxLength={256} />
      </div>
      {error ? (
        <p className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
      <button className={styles.button} type="submit" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
      <p className={styles.hint}>
        First start? The admin&apos;s one-time password was printed in the server console (or set with STUDIO_ADMIN_PASSWORD).
      </p>
    </form>
  );
}
