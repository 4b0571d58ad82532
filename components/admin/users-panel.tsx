"use client";
// Admin: create users, change roles, disable or enable accounts, reset passwords.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc-provider";
import { roles, type Role } from "@/server/auth/actor";
import styles from "@/components/auth/auth.module.css";

export function UsersPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const users = useQuery(trpc.auth.users.queryOptions());
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.auth.users.queryKey() });
  const create = useMutation(
    trpc.auth.createUser.mutationOptions({
      onSuccess: (user) => {
        setNotice(`Created ${user.username} (${user.role}).`);
        void refresh();
      },
    }),
  );
  const setRole = useMutation(trpc.auth.setRole.mutationOptions({ onSuccess: () => void refresh() }));
  const setDisabled = useMutation(trpc.auth.setDisabled.mutationOptions({ onSuccess: () => void refresh() }));
  const reset = useMutation(
    trpc.auth.resetPassword.mutationOptions({
      onSuccess: (result, input) => setNotice(`New one-time password for ${input.username}: ${result.password}`),
    }),
  );
  const error = create.error ?? setRole.error ?? setDisabled.error ?? reset.error;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate({
      username: String(form.get("username") ?? ""),
      displayName: String(form.get("displayName") ?? ""),
      password: String(form.get("password") ?? ""),
      role: String(form.get("role")) as Role,
    });
  }

  return (
    <>
      <section className={styles.section} aria-labelledby="new-user">
        <h2 id="new-user">New user</h2>
        <form className={styles.inline} onSubmit={submit}>
          <div className={styles.field}>
            <label htmlFor="new-username">Username</label>
            <input id="new-username" name="username" required maxLength={64} />
          </div>
          <div className={styles.field}>
            <label htmlFor="new-display-name">Display name</label>
            <input id="new-display-name" name="displayName" maxLength={120} />
          </div>
          <div className={styles.field}>
            <label htmlFor="new-password">Initial password</label>
            <input id="new-password" name="password" type="password" required minLength={10} maxLength={256} autoComplete="new-password" />
          </div>
          <div className={styles.field}>
            <label htmlFor="new-role">Role</label>
            <select id="new-role" name="role" defaultValue="viewer">
              {roles.map((r) => (
                <option key={r} value={r}>{r}</option>
              ))}
            </select>
          </div>
          <button className={styles.button} type="submit" disabled={create.isPending}>
            Create user
          </button>
        </form>
      </section>
      {error ? <p className={styles.error} role="alert">{error.message}</p> : null}
      {notice ? <p role="status">{notice}</p> : null}
      <section className={styles.section} aria-labelledby="all-users">
        <h2 id="all-users">Users</h2>
        {users.error ? <p className={styles.error} role="alert">{users.error.message}</p> : null}
        <table className={styles.table}>
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Display name</th>
              <th scope="col">Role</th>
              <th scope="col">State</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {(users.data ?? []).map((u) => (
              <tr key={u.userId}>
                <td>{u.username}</td>
                <td>{u.displayName}</td>
                <td>
                  <label className="visually-hidden" htmlFor={`role-${u.username}`}>Role of {u.username}</label>
                  <select id={`role-${u.username}`} value={u.role} onChange={(e) => setRole.mutate({ username: u.username, role: e.target.value as Role })}>
                    {roles.map((r) => (
                      <option key={r} value={r}>{r}</option>
                    ))}
                  </select>
                </td>
                <td>{u.disabled ? "disabled" : "active"}</td>
                <td className={styles.inline}>
                  <button className={u.disabled ? styles.secondary : styles.danger} type="button" onClick={() => setDisabled.mutate({ username: u.username, disabled: !u.disabled })}>
                    {u.disabled ? "Enable" : "Disable"}
                  </button>
                  <button className={styles.secondary} type="button" onClick={() => reset.mutate({ username: u.username })}>
                    Reset password
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
