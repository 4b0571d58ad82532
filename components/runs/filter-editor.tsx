"use client";
// The runs filter box: a plain input at once, which becomes a one-line Monaco editor for MLflow's filter grammar
// (suggestions, the parser's errors underlined) when first focused. Monaco is most of the page's weight (about
// 1.4 MB of the runs table's first load), so a page whose filter is never touched never loads it.
import loader from "@monaco-editor/loader";
import type * as Monaco from "monaco-editor";
import { useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { completeFilter, errorSpan, type FilterKeys, type FilterSuggestionKind } from "@/lib/filter-completion";
import { parseSearchFilter, SearchFilterError } from "@/lib/search-filter";
import { sentenceText, type SentenceTranslator } from "@/lib/i18n/server-sentence";
import uiStyles from "@/components/ui/ui.module.css";
import styles from "./filter-editor.module.css";

type MonacoApi = typeof Monaco;

export interface FilterEditorProps {
  /** The id the field's <label htmlFor> points at; it moves to Monaco's input once the editor is up. */
  id: string;
  value: string;
  onChange: (value: string) => void;
  /** Enter: the text as it is in the box (state updates from the last keystroke may not have landed yet). */
  onSubmit: (value: string) => void;
  keys: FilterKeys;
  /** The server's message about the applied filter, in the reader's language; the box is marked invalid while there is one. */
  error?: string;
  ariaLabel: string;
  /** Ids of the texts describing the box (help or the server's error), as for aria-describedby. */
  describedBy?: string;
  placeholder?: string;
}

const LANGUAGE = "mlflow-filter";
const MARKER_OWNER = "mlflow-filter";
const CHECK_DELAY_MS = 250;
const NEWLINES = /\r\n|[\r\n]/g;
const MAX_PENDING_ECHOES = 100;

let monacoLoad: Promise<MonacoApi> | null = null;
// The keys each editor's model completes from; the completion provider is one per language, not one per editor.
const keysByModel = new Map<string, FilterKeys>();

function loadMonaco(): Promise<MonacoApi> {
  if (monacoLoad === null) {
    // Served by app/monaco from node_modules, under the installed version so it is cached for good; never a CDN.
    loader.config({ paths: { vs: `/monaco/${process.env.NEXT_PUBLIC_MONACO_VERSION}/vs` } });
    monacoLoad = loader.init().then((monaco) => {
      registerFilterLanguage(monaco);
      return monaco;
    });
    // A failed load leaves the plain input in place; the next editor on the page may try again.
    monacoLoad.catch(() => {
      monacoLoad = null;
    });
  }
  return monacoLoad;
}

function completionKind(monaco: MonacoApi, kind: FilterSuggestionKind): Monaco.languages.CompletionItemKind {
  const kinds = monaco.languages.CompletionItemKind;
  switch (kind) {
    case "prefix":
      return kinds.Module;
    case "key":
      return kinds.Field;
    case "attribute":
      return kinds.Property;
    case "comparator":
      return kinds.Operator;
    case "keyword":
      return kinds.Keyword;
  }
}

/**
 * Token colours of the filter box in each theme. Monaco's own (vs: #267f99 types, #098658 numbers) fall under
 * WCAG AA's 4.5:1 on the studio's input background #f7f8fa; these are at least 5.6:1 on the page's backgrounds
 * (light #f7f8fa and #ffffff, dark #111418 and #1a1f25), checked by axe in the filter-editor journey.
 */
const LIGHT_TOKENS = { text: "1b1f24", type: "1f6477", keyword: "0033b3", variable: "001080", string: "a31515", number: "07694a", delimiter: "5b6470" };
const DARK_TOKENS = { text: "e6e9ee", type: "4ec9b0", keyword: "79b8ff", variable: "9cdcfe", string: "e3a07f", number: "b5cea8", delimiter: "9aa4b1" };
type TokenColours = typeof LIGHT_TOKENS;

function tokenRules(colours: TokenColours) {
  return [
    { token: "", foreground: colours.text },
    { token: "identifier", foreground: colours.text },
    { token: "operator", foreground: colours.text },
    { token: "type", foreground: colours.type },
    { token: "keyword", foreground: colours.keyword },
    { token: "variable", foreground: colours.variable },
    { token: "string", foreground: colours.string },
    { token: "number", foreground: colours.number },
    { token: "delimiter", foreground: colours.delimiter },
  ];
}

function editorColors(colours: TokenColours) {
  // Transparent: the box's own background (the page's input colour) shows through.
  return { "editor.background": "#00000000", "editor.foreground": `#${colours.text}` };
}

function registerFilterLanguage(monaco: MonacoApi): void {
  if (monaco.languages.getLanguages().some((language) => language.id === LANGUAGE)) return;
  monaco.languages.register({ id: LANGUAGE });
  monaco.editor.defineTheme(themeFor(false), { base: "vs", inherit: true, rules: tokenRules(LIGHT_TOKENS), colors: editorColors(LIGHT_TOKENS) });
  monaco.editor.defineTheme(themeFor(true), { base: "vs-dark", inherit: true, rules: tokenRules(DARK_TOKENS), colors: editorColors(DARK_TOKENS) });
  monaco.languages.setMonarchTokensProvider(LANGUAGE, {
    ignoreCase: true,
    tokenizer: {
      root: [
        [/\b(?:metrics?|params?|parameters?|tags?|attributes?|attr|run|datasets?)(?=\.)/, "type"],
        [/\b(?:and|or|not|like|ilike|in|is|null)\b/, "keyword"],
        [/`(?:[^`]|``)*`?/, "variable"],
        [/'(?:[^'\\]|\\.|'')*'?/, "string"],
        [/"(?:[^"\\]|\\.|"")*"?/, "string"],
        [/-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?/, "number"],
        [/[<>=!~]+/, "operator"],
        [/[a-z_][\w]*/, "identifier"],
        [/[(),.]/, "delimiter"],
      ],
    },
  });
  monaco.languages.registerCompletionItemProvider(LANGUAGE, {
    triggerCharacters: [".", " ", "`"],
    provideCompletionItems(model, position, context) {
      const text = model.getValue();
      const completion = completeFilter(text, model.getOffsetAt(position), keysByModel.get(model.uri.toString()) ?? { metrics: [], params: [], tags: [] });
      // A space after a value would otherwise open `and`, and Enter would then insert it instead of applying the filter.
      const typedSpace = context.triggerKind === monaco.languages.CompletionTriggerKind.TriggerCharacter && context.triggerCharacter === " ";
      if (typedSpace && completion.suggestions.every((suggestion) => suggestion.kind === "keyword")) return { suggestions: [] };
      const start = model.getPositionAt(completion.from);
      const end = model.getPositionAt(completion.to);
      const range = new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column);
      return {
        suggestions: completion.suggestions.map((suggestion, index) => ({
          label: suggestion.label,
          insertText: suggestion.insertText,
          filterText: suggestion.filterText,
          detail: suggestion.detail,
          kind: completionKind(monaco, suggestion.kind),
          sortText: String(index).padStart(4, "0"),
          range,
          command: suggestion.retrigger ? { id: "editor.action.triggerSuggest", title: "Suggest" } : undefined,
        })),
      };
    },
  });
}

/** Monaco's light or dark theme with the page's own background showing through, to match the other fields. */
function themeFor(dark: boolean): string {
  return dark ? "studio-filter-dark" : "studio-filter-light";
}

const DARK_SCHEME = "(prefers-color-scheme: dark)";

/** Dark when the header's theme picker says so (data-theme on <html>), or when it leaves it to a system that prefers dark. */
function pageIsDark(): boolean {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === "dark" || chosen === "light") return chosen === "dark";
  return window.matchMedia(DARK_SCHEME).matches;
}

/** The parser's verdict on the text in the reader's language, or null when it parses (an empty filter parses). */
function checkFilter(text: string, t: SentenceTranslator): { message: string; position: number | null } | null {
  try {
    parseSearchFilter(text);
    return null;
  } catch (error) {
    if (error instanceof SearchFilterError) return { message: sentenceText(t, error.sentence, error.message), position: error.position };
    throw error;
  }
}

export function FilterEditor({ id, value, onChange, onSubmit, keys, error, ariaLabel, describedBy, placeholder }: FilterEditorProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const fallbackRef = useRef<HTMLInputElement>(null);
  const editorRef = useRef<Monaco.editor.IStandaloneCodeEditor | null>(null);
  const monacoRef = useRef<MonacoApi | null>(null);
  const callbacks = useRef({ onChange, onSubmit });
  // What the editor is created with; later changes reach it through the effects below.
  const initial = useRef({ value, ariaLabel, placeholder });
  const pendingFocus = useRef<number | null>(null);
  // Texts sent through onChange that have not come back as `value` yet, oldest first.
  const echoes = useRef<string[]>([]);
  const [ready, setReady] = useState(false);
  // Monaco is fetched on the box's first focus (or at once when another editor already loaded it).
  const [wanted, setWanted] = useState(() => monacoLoad !== null);
  const [check, setCheck] = useState<{ text: string; message: string; position: number | null } | null>(null);
  // next-intl types its translator by the catalogue's keys; a parser's code is a key known only at run time.
  const t = useTranslations("sentences") as unknown as SentenceTranslator;
  const translator = useRef(t);

  useEffect(() => {
    callbacks.current = { onChange, onSubmit };
    translator.current = t;
    initial.current = { value, ariaLabel, placeholder };
  });

  useEffect(() => {
    if (!wanted) return;
    let disposed = false;
    let cleanup = () => {};
    loadMonaco().then(
      (monaco) => {
        const container = containerRef.current;
        if (disposed || container === null) return;
        const fallback = fallbackRef.current;
        const hadFocus = fallback !== null && document.activeElement === fallback;
        const { value: text, ariaLabel: label, placeholder: hint } = initial.current;
        const editor = monaco.editor.create(container, {
          value: text.replace(NEWLINES, " "),
          language: LANGUAGE,
          theme: themeFor(pageIsDark()),
          ariaLabel: label,
          placeholder: hint,
          fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
          fontSize: 14,
          lineHeight: 20,
          padding: { top: 6, bottom: 6 },
          lineNumbers: "off",
          glyphMargin: false,
          folding: false,
          lineDecorationsWidth: 0,
          lineNumbersMinChars: 0,
          minimap: { enabled: false },
          scrollbar: { vertical: "hidden", horizontal: "hidden", handleMouseWheel: false, alwaysConsumeMouseWheel: false },
          overviewRulerLanes: 0,
          overviewRulerBorder: false,
          hideCursorInOverviewRuler: true,
          scrollBeyondLastLine: false,
          scrollBeyondLastColumn: 0,
          wordWrap: "off",
          renderLineHighlight: "none",
          guides: { indentation: false },
          stickyScroll: { enabled: false },
          contextmenu: false,
          // Suggestions and hovers float above the page instead of being clipped by a one-line box.
          fixedOverflowWidgets: true,
          automaticLayout: true,
          // No language worker: nothing here needs one, and these features would start Monaco's editor worker.
          links: false,
          wordBasedSuggestions: "off",
          colorDecorators: false,
          unicodeHighlight: { ambiguousCharacters: false, invisibleCharacters: false, nonBasicASCII: false },
          occurrencesHighlight: "off",
          selectionHighlight: false,
          codeLens: false,
          lightbulb: { enabled: monaco.editor.ShowLightbulbIconMode.Off },
          quickSuggestions: { other: true, comments: false, strings: false },
          suggestOnTriggerCharacters: true,
          acceptSuggestionOnEnter: "on",
          // Tab moves on to the next control, as in any form field.
          tabFocusMode: true,
          dragAndDrop: false,
        });
        const model = editor.getModel();
        if (model === null) return;
        const modelKey = model.uri.toString();
        editorRef.current = editor;
        monacoRef.current = monaco;

        editor.addCommand(monaco.KeyCode.Enter, () => callbacks.current.onSubmit(editor.getValue()), "editorTextFocus && !suggestWidgetVisible");
        editor.addCommand(
          monaco.KeyCode.Escape,
          () => {
            if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
          },
          "editorTextFocus && !suggestWidgetVisible && !parameterHintsVisible",
        );
        const contentListener = editor.onDidChangeModelContent(() => {
          const text = model.getValue();
          if (/[\r\n]/.test(text)) {
            // Pasted lines become one: the filter is one line and Enter applies it.
            const position = editor.getPosition();
            const before = position ? text.slice(0, model.getOffsetAt(position)).replace(NEWLINES, " ") : "";
            editor.executeEdits("collapse-newlines", [{ range: model.getFullModelRange(), text: text.replace(NEWLINES, " ") }]);
            editor.setPosition(model.getPositionAt(before.length));
            return;
          }
          echoes.current.push(text);
          if (echoes.current.length > MAX_PENDING_ECHOES) echoes.current.shift();
          callbacks.current.onChange(text);
        });
        const scheme = window.matchMedia(DARK_SCHEME);
        const followScheme = () => monaco.editor.setTheme(themeFor(pageIsDark()));
        scheme.addEventListener("change", followScheme);
        const themePicked = new MutationObserver(followScheme);
        themePicked.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });

        // Someone already typing in the plain input carries on in the editor, at the same place.
        pendingFocus.current = hadFocus ? (fallback.selectionStart ?? fallback.value.length) : null;
        setReady(true);
        cleanup = () => {
          scheme.removeEventListener("change", followScheme);
          themePicked.disconnect();
          contentListener.dispose();
          keysByModel.delete(modelKey);
          editor.dispose();
          model.dispose();
          editorRef.current = null;
        };
      },
      () => {
        // The plain input stays: the filter still works, only without suggestions and live checking.
      },
    );
    return () => {
      disposed = true;
      cleanup();
    };
  }, [wanted]);

  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!ready || !editor || !model || pendingFocus.current === null) return;
    editor.focus();
    editor.setPosition(model.getPositionAt(pendingFocus.current));
    pendingFocus.current = null;
  }, [ready]);

  // The box follows value changes from outside (back/forward, Clear filter) without fighting the user's typing:
  // a value the editor itself sent up may arrive after the user typed on, and must not undo those keystrokes.
  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model) return;
    const echo = echoes.current.indexOf(value);
    if (echo >= 0) {
      echoes.current.splice(0, echo + 1);
      return;
    }
    echoes.current = [];
    if (model.getValue() === value) return;
    editor.executeEdits("external-value", [{ range: model.getFullModelRange(), text: value.replace(NEWLINES, " ") }]);
    editor.setPosition(model.getPositionAt(model.getValueLength()));
  }, [value, ready]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (model) keysByModel.set(model.uri.toString(), keys);
  }, [keys, ready]);

  // Check as the user types, once they pause: the same parser the server runs.
  useEffect(() => {
    const timer = window.setTimeout(() => {
      const verdict = checkFilter(value, translator.current);
      setCheck(verdict === null ? null : { text: value, ...verdict });
    }, CHECK_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [value]);

  const liveError = check !== null && check.text === value ? check : null;

  useEffect(() => {
    const monaco = monacoRef.current;
    const model = editorRef.current?.getModel();
    if (!monaco || !model) return;
    const markers: Monaco.editor.IMarkerData[] = [];
    if (liveError !== null && liveError.position !== null && model.getValue() === liveError.text) {
      const span = errorSpan(liveError.text, liveError.position);
      const start = model.getPositionAt(span.from);
      const end = model.getPositionAt(span.to);
      markers.push({
        severity: monaco.MarkerSeverity.Error,
        message: liveError.message,
        startLineNumber: start.lineNumber,
        startColumn: start.column,
        endLineNumber: end.lineNumber,
        endColumn: end.column,
      });
    }
    monaco.editor.setModelMarkers(model, MARKER_OWNER, markers);
  }, [liveError, ready]);

  // The server says the same thing once the filter is applied; say it once.
  const showLiveError = liveError !== null && liveError.message !== error;
  const checkId = `${id}-check`;
  const invalid = Boolean(error) || liveError !== null;
  const description = [describedBy, showLiveError ? checkId : null].filter(Boolean).join(" ") || undefined;

  // Monaco owns its input element; the label, description and validity are put on it so they reach assistive technology.
  useEffect(() => {
    const input = containerRef.current?.querySelector<HTMLElement>("textarea, .native-edit-context");
    if (!ready || !input) return;
    input.id = id;
    if (description) input.setAttribute("aria-describedby", description);
    else input.removeAttribute("aria-describedby");
    if (invalid) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }, [ready, id, description, invalid]);

  return (
    <>
      <div ref={containerRef} className={styles.editor} data-invalid={invalid || undefined} data-filter-editor={ready ? "monaco" : "loading"} hidden={!ready} />
      {ready ? null : (
        <input
          ref={fallbackRef}
          id={id}
          className={`${uiStyles.input} ${uiStyles.wide}`}
          value={value}
          spellCheck={false}
          autoComplete="off"
          placeholder={placeholder}
          onChange={(event) => onChange(event.target.value)}
          onFocus={() => setWanted(true)}
          aria-invalid={invalid || undefined}
          aria-describedby={description}
        />
      )}
      {showLiveError ? (
        <p id={checkId} className={uiStyles.error} role="alert">
          {liveError.message}
        </p>
      ) : null}
    </>
  );
}
