"use client";
// The playground's inputs as JSON in Monaco (served by the studio, no CDN), with the validation errors listed and the first one underlined.
import type * as Monaco from "monaco-editor";
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useRef, useState } from "react";
import ui from "@/components/ui/ui.module.css";
import styles from "./playground.module.css";

type MonacoApi = typeof Monaco;

// Monaco's own JSON language starts a language worker; a small tokenizer is enough here, and validation is zod's.
const LANGUAGE = "playground-json";
const MARKER_OWNER = "playground-json";
/** How long the text must stay unchanged before Monaco shows it. Putting the whole JSON back into Monaco (its
 * tokenizing and layout) on every change of a form field cost more than the rest of the page's update together: someone
 * filling the digits model's 64 fields waited for each one. The editor catches up when the form pauses, or at once
 * when it is focused. */
export const EDITOR_FOLLOW_MS = 250;

let monacoLoad: Promise<MonacoApi> | null = null;

function loadMonaco(): Promise<MonacoApi> {
  if (monacoLoad === null) {
    // The loader (~40 KB) is imported here, not with the page: the page's first scripts are what a Predict pressed
    // while it opens waits behind, and Monaco itself is only loaded once the model is ready.
    monacoLoad = import("@monaco-editor/loader").then(({ default: loader }) => {
      loader.config({ paths: { vs: `/monaco/${process.env.NEXT_PUBLIC_MONACO_VERSION}/vs` } });
      return loader.init();
    }).then((monaco: MonacoApi) => {
      if (!monaco.languages.getLanguages().some((language) => language.id === LANGUAGE)) {
        monaco.languages.register({ id: LANGUAGE });
        monaco.languages.setMonarchTokensProvider(LANGUAGE, {
          tokenizer: {
            root: [
              [/"(?:[^"\\]|\\.)*"(?=\s*:)/, "type"],
              [/"(?:[^"\\]|\\.)*"?/, "string"],
              [/-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/, "number"],
              [/\b(?:true|false|null)\b/, "keyword"],
              [/[{}[\],:]/, "delimiter"],
            ],
          },
        });
      }
      return monaco;
    });
    monacoLoad.catch(() => {
      monacoLoad = null;
    });
  }
  return monacoLoad;
}

function pageIsDark(): boolean {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === "dark" || chosen === "light") return chosen === "dark";
  return window.matchMedia("(prefers-color-scheme: dark)").matches;
}

export interface JsonInputsEditorProps {
  id: string;
  value: string;
  onChange: (text: string) => void;
  /** Problems with the text, already worded for the user; the first is also marked on its line. */
  errors: { message: string; line: number | null }[];
  /** False while the page has more urgent work (the playground's model load): Monaco's ~2.5 MB of JS took the page's
   * thread for ~0.5 s as the model's session was being made. Until then, and if Monaco fails, a plain text area. */
  loadEditor?: boolean;
}

export function JsonInputsEditor({ id, value, onChange, errors, loadEditor = true }: JsonInputsEditorProps) {
  const t = useTranslations("playground");
  // Monaco is made once; its label is read then, in the page's language.
  const ariaLabel = useRef(t("inputsJson"));
  const containerRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<Monaco.editor.IStandaloneCodeEditor | null>(null);
  const monacoRef = useRef<MonacoApi | null>(null);
  const onChangeRef = useRef(onChange);
  // What Monaco should show once it catches up: the newest text and its problems.
  const latest = useRef({ value, errors });
  const [ready, setReady] = useState(false);

  useEffect(() => {
    onChangeRef.current = onChange;
    latest.current = { value, errors };
  });

  /** Puts the newest text into Monaco (unless it already shows it, e.g. the user typed it there) and marks its first problem. */
  const catchUp = useCallback(() => {
    const editor = editorRef.current;
    const monaco = monacoRef.current;
    const model = editor?.getModel();
    if (!editor || !monaco || !model) return;
    const { value: text, errors: problems } = latest.current;
    if (editor.getValue() !== text) editor.setValue(text);
    const markers = problems.slice(0, 1).map((error) => {
      const line = Math.min(Math.max(1, error.line ?? 1), model.getLineCount());
      return {
        severity: monaco.MarkerSeverity.Error,
        message: error.message,
        startLineNumber: line,
        startColumn: 1,
        endLineNumber: line,
        endColumn: model.getLineMaxColumn(line),
      };
    });
    monaco.editor.setModelMarkers(model, MARKER_OWNER, markers);
  }, []);

  useEffect(() => {
    if (!loadEditor) return;
    let disposed = false;
    let cleanup = () => {};
    loadMonaco().then(
      (monaco) => {
        const container = containerRef.current;
        if (disposed || container === null) return;
        const editor = monaco.editor.create(container, {
          value: latest.current.value,
          language: LANGUAGE,
          theme: pageIsDark() ? "vs-dark" : "vs",
          ariaLabel: ariaLabel.current,
          fontSize: 13,
          minimap: { enabled: false },
          scrollBeyondLastLine: false,
          automaticLayout: true,
          tabFocusMode: true,
          wordBasedSuggestions: "off",
          quickSuggestions: false,
          links: false,
          occurrencesHighlight: "off",
          codeLens: false,
          contextmenu: false,
        });
        editorRef.current = editor;
        monacoRef.current = monaco;
        const listener = editor.onDidChangeModelContent(() => onChangeRef.current(editor.getValue()));
        // Whoever clicks into the editor right after changing a field edits the newest text, never a stale one.
        const focus = editor.onDidFocusEditorText(catchUp);
        setReady(true);
        cleanup = () => {
          listener.dispose();
          focus.dispose();
          editor.getModel()?.dispose();
          editor.dispose();
          editorRef.current = null;
        };
      },
      () => {
        // The plain text area stays: the JSON still works, only without highlighting.
      },
    );
    return () => {
      disposed = true;
      cleanup();
    };
  }, [loadEditor, catchUp]);

  // The form changes the JSON too: Monaco follows once the changes pause (see EDITOR_FOLLOW_MS).
  useEffect(() => {
    if (!ready) return;
    const timer = window.setTimeout(catchUp, EDITOR_FOLLOW_MS);
    return () => window.clearTimeout(timer);
  }, [value, errors, ready, catchUp]);

  // Monaco's hidden text area carries the label's id, so <label htmlFor> reaches it.
  useEffect(() => {
    const input = containerRef.current?.querySelector<HTMLElement>("textarea, .native-edit-context");
    if (!ready || !input) return;
    input.id = id;
    if (errors.length) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }, [ready, id, errors.length]);

  return (
    <>
      <div ref={containerRef} className={styles.editor} hidden={!ready} data-invalid={errors.length ? true : undefined} data-json-editor={ready ? "monaco" : "loading"} />
      {ready ? null : (
        <textarea
          id={id}
          className={`${ui.input} ${styles.textarea}`}
          value={value}
          spellCheck={false}
          onChange={(event) => onChange(event.target.value)}
          aria-invalid={errors.length ? true : undefined}
        />
      )}
      {errors.length ? (
        <ul className={ui.error} role="alert" aria-label={t("tools.jsonProblems")}>
          {errors.map((error, i) => (
            <li key={i}>{error.message}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
