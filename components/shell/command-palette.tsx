"use client";
// Go anywhere fast: Ctrl/Cmd-K opens a search of experiments, runs, datasets, models and reviews; `?` lists the shortcuts;
// g then a letter jumps to a section. Both overlays are modal <dialog>s: the browser traps focus, Escape closes, focus returns.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from "react";
import { useTRPC } from "@/components/trpc-provider";
import ui from "@/components/ui/ui.module.css";
import { goToShortcuts, movedHighlight, shortcutFor } from "@/lib/keyboard-shortcuts";
import type { StudioSearchHit } from "@/server/navigation/schema";
import styles from "./shell.module.css";

/** Typing pauses this long before the search is asked: one request per word, not per letter. */
const SEARCH_PAUSE_MS = 150;

function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

export function CommandPalette() {
  const t = useTranslations("shell.palette");
  const router = useRouter();
  const [paletteOpen, setPaletteOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const pendingG = useRef<number | null>(null);

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.repeat) return;
      const action = shortcutFor({
        key: event.key,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        altKey: event.altKey,
        inTextField: isTextField(event.target),
        pendingGAt: pendingG.current,
        now: Date.now(),
      });
      pendingG.current = action.kind === "startSequence" ? Date.now() : null;
      if (action.kind === "openPalette") {
        event.preventDefault();
        setHelpOpen(false);
        setPaletteOpen(true);
      } else if (action.kind === "openHelp") {
        event.preventDefault();
        setPaletteOpen(false);
        setHelpOpen(true);
      } else if (action.kind === "goTo") {
        event.preventDefault();
        router.push(action.href);
      }
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [router]);

  return (
    <>
      <button type="button" className={styles.paletteButton} onClick={() => setPaletteOpen(true)} aria-keyshortcuts="Control+K Meta+K">
        {t("open")} <kbd>Ctrl K</kbd>
      </button>
      <button type="button" className={styles.paletteButton} onClick={() => setHelpOpen(true)} aria-keyshortcuts="Shift+?">
        <span aria-hidden="true">?</span>
        <span className="visually-hidden">{t("shortcutsTitle")}</span>
      </button>
      {paletteOpen ? (
        <PaletteDialog
          onClose={() => setPaletteOpen(false)}
          onOpen={(href) => {
            setPaletteOpen(false);
            router.push(href);
          }}
        />
      ) : null}
      {helpOpen ? <ShortcutsDialog onClose={() => setHelpOpen(false)} /> : null}
    </>
  );
}

/** A <dialog> shown modally while mounted; closing it (Escape, a button) tells the parent. */
function useModalDialog(onClose: () => void) {
  const ref = useRef<HTMLDialogElement>(null);
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  });
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    const onDialogClose = () => close.current();
    dialog.addEventListener("close", onDialogClose);
    return () => {
      dialog.removeEventListener("close", onDialogClose);
      if (dialog.open) dialog.close();
    };
  }, []);
  return ref;
}

function PaletteDialog({ onClose, onOpen }: { onClose: () => void; onOpen: (href: string) => void }) {
  const t = useTranslations("shell.palette");
  const trpc = useTRPC();
  const id = useId();
  const dialog = useModalDialog(onClose);
  const [text, setText] = useState("");
  const [asked, setAsked] = useState("");
  const [highlight, setHighlight] = useState(0);
  useEffect(() => {
    const timer = setTimeout(() => setAsked(text.trim()), SEARCH_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const search = useQuery(trpc.navigation.search.queryOptions({ text: asked }, { enabled: asked.length > 0, placeholderData: keepPreviousData }));
  const hits: StudioSearchHit[] = asked && search.data ? search.data.hits : [];
  const active = Math.min(highlight, hits.length - 1);

  function onKeyDown(event: ReactKeyboardEvent<HTMLInputElement>) {
    if (["ArrowDown", "ArrowUp"].includes(event.key) || (["Home", "End"].includes(event.key) && event.ctrlKey)) {
      event.preventDefault();
      setHighlight(movedHighlight(active, hits.length, event.key));
    } else if (event.key === "Enter" && active >= 0 && hits[active]) {
      event.preventDefault();
      onOpen(hits[active].href);
    }
  }

  const listId = `${id}-hits`;
  const status = !asked ? t("hint") : search.isError ? t("failed", { message: search.error.message }) : search.isPending ? t("searching") : t("found", { count: hits.length });
  return (
    <dialog ref={dialog} className={styles.dialog} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="visually-hidden">
        {t("title")}
      </h2>
      <input
        type="text"
        role="combobox"
        aria-label={t("label")}
        aria-expanded={hits.length > 0}
        aria-controls={hits.length ? listId : undefined}
        aria-autocomplete="list"
        aria-activedescendant={active >= 0 && hits[active] ? `${listId}-${active}` : undefined}
        className={`${ui.input} ${styles.paletteInput}`}
        placeholder={t("placeholder")}
        value={text}
        maxLength={200}
        autoFocus
        onChange={(event) => {
          setText(event.target.value);
          setHighlight(0);
        }}
        onKeyDown={onKeyDown}
      />
      <p role="status" className={styles.paletteStatus}>
        {status}
      </p>
      {hits.length ? (
        <ul id={listId} role="listbox" aria-label={t("results")} className={styles.paletteList}>
          {hits.map((hit, i) => (
            <li
              key={`${hit.kind}:${hit.href}`}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={styles.paletteOption}
              onMouseMove={() => setHighlight(i)}
              onClick={() => onOpen(hit.href)}
            >
              <span className={styles.paletteKind}>{t(`kinds.${hit.kind}`)}</span>
              <span className={styles.paletteTitle}>{hit.title}</span>
              <span className={styles.paletteContext}>{hit.context}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <p className={styles.paletteStatus}>{t("keys")}</p>
    </dialog>
  );
}

function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const t = useTranslations("shell.palette");
  const sections = useTranslations("shell.sections");
  const id = useId();
  const dialog = useModalDialog(onClose);
  const rows: [string, string][] = [
    ["Ctrl K / ⌘ K", t("shortcutPalette")],
    ["?", t("shortcutHelp")],
    ...goToShortcuts.map((shortcut): [string, string] => [`g ${shortcut.key}`, t("shortcutGoTo", { section: sections(shortcut.section) })]),
    ["↑ ↓, Enter", t("shortcutChoose")],
    ["Esc", t("shortcutClose")],
  ];
  return (
    <dialog ref={dialog} className={styles.dialog} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className={ui.panelTitle}>
        {t("shortcutsTitle")}
      </h2>
      <table className={ui.table} aria-labelledby={`${id}-title`}>
        <thead>
          <tr>
            <th scope="col">{t("keyColumn")}</th>
            <th scope="col">{t("actionColumn")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([keys, action]) => (
            <tr key={keys}>
              <td>
                <kbd>{keys}</kbd>
              </td>
              <td>{action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog" className={ui.toolbarFlush} style={{ marginTop: "1rem" }}>
        <button type="submit" className={ui.button} autoFocus>
          {t("close")}
        </button>
      </form>
    </dialog>
  );
}
