"use client";
// The header's bell: the signed-in user's unread count, and a short list of their notifications to open and mark read.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState } from "react";
import { useTRPC } from "@/components/trpc-provider";
import { useCurrentUser } from "@/components/auth/use-permission";
import { useServerSentence } from "@/components/ui/use-server-sentence";
import styles from "./shell.module.css";

export function NotificationBell() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const t = useTranslations("shell.notifications");
  const say = useServerSentence();
  const me = useCurrentUser();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  // A labeller may open labelling and nothing else, notifications included: no bell that would only be refused.
  const signedIn = Boolean(me.data?.actor) && !me.data?.authDisabled && (me.data?.permissions?.includes("studio.read") ?? false);
  const list = useQuery(trpc.notifications.mine.queryOptions(undefined, { enabled: signedIn, refetchInterval: open ? 5000 : 30_000 }));
  const markRead = useMutation(trpc.notifications.markRead.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.notifications.mine.queryKey() }) }));

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent ? event.key === "Escape" : !root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);

  if (!signedIn) return null;
  const unread = list.data?.unread ?? 0;
  return (
    <div className={styles.bell} ref={root}>
      <button type="button" className={styles.bellButton} aria-expanded={open} aria-controls={panelId} aria-label={t("label", { count: unread })} onClick={() => setOpen(!open)}>
        <svg aria-hidden="true" width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
          <path d="M13.73 21a2 2 0 0 1-3.46 0" />
        </svg>
        {unread > 0 ? <span className={styles.bellCount}>{unread > 99 ? "99+" : unread}</span> : null}
      </button>
      {open ? (
        <div id={panelId} className={styles.bellPanel} role="region" aria-label={t("title")}>
          <div className={styles.bellHead}>
            <strong>{t("title")}</strong>
            {unread > 0 ? (
              <button type="button" className={styles.paletteButton} onClick={() => markRead.mutate({})}>
                {t("markAll")}
              </button>
            ) : null}
          </div>
          {list.data && list.data.items.length === 0 ? <p className={styles.bellEmpty}>{t("empty")}</p> : null}
          <ul className={styles.bellList}>
            {list.data?.items.map((n) => (
              <li key={n.notificationId} data-unread={n.read ? undefined : "true"}>
                {n.link ? (
                  <Link
                    href={n.link}
                    onClick={() => {
                      if (!n.read) markRead.mutate({ notificationIds: [n.notificationId] });
                      setOpen(false);
                    }}
                  >
                    {say(n.message, n.text)}
                  </Link>
                ) : (
                  <span>{say(n.message, n.text)}</span>
                )}
                <span className={styles.bellTime}>
                  {n.read ? "" : `${t("new")} · `}
                  {new Date(n.createdAt).toLocaleString()}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
