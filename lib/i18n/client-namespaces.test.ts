// Every page sends its client components only the catalogue namespaces they read (components/i18n/client-messages.tsx).
// This reads the source: from each route file of app/ it follows the imports, switches to "client" at a "use client"
// module (everything a client module imports runs in the browser too), and collects the namespaces of every
// useTranslations("namespace.…") in client code. Each route file's client namespaces must be provided by the
// <ClientMessages>/<MoreClientMessages namespaces={[…]}> of the route file itself and the layouts above it, no
// namespace sent twice on that chain, and none sent that no route under the provider reads. Server code is not
// checked: it reads the whole request catalogue.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { catalogues } from "@/messages";

const root = path.resolve(import.meta.dirname, "../..");
const appDir = path.join(root, "app");
const routeFileNames = new Set(["page.tsx", "layout.tsx", "not-found.tsx", "error.tsx", "loading.tsx", "template.tsx", "default.tsx", "global-error.tsx"]);
const catalogueNamespaces = new Set(Object.keys(catalogues.en));
const providerTags = new Set(["ClientMessages", "MoreClientMessages"]);
/** The provider's own browser half reads its parent's messages whole (useMessages) to merge them. */
const mechanism = path.join(root, "components", "i18n", "extend-messages.tsx");

interface ModuleFacts {
  client: boolean;
  imports: string[];
  namespaces: Set<string>;
  /** Uses that cannot be checked: useTranslations() without a literal namespace, useMessages(). */
  unchecked: string[];
  /** The namespaces of each <ClientMessages namespaces={[…]}> in the file, null when one is not a literal array. */
  provides: (string[] | null)[];
}

function resolveImport(from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = path.join(root, specifier.slice(2));
  else if (specifier.startsWith(".")) base = path.resolve(path.dirname(from), specifier);
  else return null; // a package
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")]) {
    if (/\.tsx?$/.test(candidate) && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return null; // CSS, JSON, SVG: no translations
}

const factsCache = new Map<string, ModuleFacts>();

function moduleFacts(file: string): ModuleFacts {
  const cached = factsCache.get(file);
  if (cached) return cached;
  const text = fs.readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const facts: ModuleFacts = { client: false, imports: [], namespaces: new Set(), unchecked: [], provides: [] };
  for (const statement of source.statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) break;
    if (statement.expression.text === "use client") facts.client = true;
  }
  const where = (node: ts.Node) => `${path.relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const addImport = (specifier: string) => {
    const resolved = resolveImport(file, specifier);
    if (resolved) facts.imports.push(resolved);
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && !node.importClause?.isTypeOnly) {
      const named = node.importClause?.namedBindings;
      const onlyTypes = !node.importClause?.name && named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
      if (!onlyTypes) addImport(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && !node.isTypeOnly) {
      addImport(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node)) {
      const [first] = node.arguments;
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword && first && ts.isStringLiteralLike(first)) addImport(first.text);
      if (ts.isIdentifier(node.expression) && node.expression.text === "useTranslations") {
        if (first && ts.isStringLiteralLike(first)) facts.namespaces.add(first.text.split(".")[0]!);
        else facts.unchecked.push(`${where(node)}: useTranslations without a literal namespace`);
      }
      if (ts.isIdentifier(node.expression) && node.expression.text === "useMessages") facts.unchecked.push(`${where(node)}: useMessages()`);
    } else if ((ts.isJsxOpeningElement(node) || ts.isJsxSelfClosingElement(node)) && providerTags.has(node.tagName.getText(source))) {
      const attribute = node.attributes.properties.find((p) => ts.isJsxAttribute(p) && p.name.getText(source) === "namespaces");
      const value = attribute && ts.isJsxAttribute(attribute) && attribute.initializer && ts.isJsxExpression(attribute.initializer) ? attribute.initializer.expression : undefined;
      if (value && ts.isArrayLiteralExpression(value) && value.elements.every(ts.isStringLiteralLike)) {
        facts.provides.push(value.elements.map((e) => (e as ts.StringLiteralLike).text));
      } else {
        facts.provides.push(null);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  factsCache.set(file, facts);
  return facts;
}

interface ClientUse {
  namespaces: Map<string, string[]>; // namespace → the client modules that read it
  unchecked: string[];
  clientModules: number;
}

/** The namespaces read by the client modules a route file's imports reach (the file itself included). */
function clientUse(entry: string): ClientUse {
  const use: ClientUse = { namespaces: new Map(), unchecked: [], clientModules: 0 };
  const seen = new Set<string>();
  const walk = (file: string, inClient: boolean) => {
    const facts = moduleFacts(file);
    const client = inClient || facts.client;
    const key = `${client ? "client" : "server"} ${file}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (client) {
      use.clientModules += 1;
      for (const namespace of facts.namespaces) use.namespaces.set(namespace, [...(use.namespaces.get(namespace) ?? []), path.relative(root, file)]);
      if (file !== mechanism) use.unchecked.push(...facts.unchecked);
    }
    for (const imported of facts.imports) walk(imported, client);
  };
  walk(entry, false);
  return use;
}

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return routeFileNames.has(entry.name) ? [full] : [];
  });
}

/** The route file itself, then the layouts it renders inside, nearest first: each may hold one provider. */
function providerChain(file: string): string[] {
  const chain = [file];
  let dir = path.basename(file) === "layout.tsx" ? path.dirname(path.dirname(file)) : path.dirname(file);
  for (;;) {
    const layout = path.join(dir, "layout.tsx");
    if (layout !== file && fs.existsSync(layout)) chain.push(layout);
    if (dir === appDir || !dir.startsWith(appDir)) break;
    dir = path.dirname(dir);
  }
  return chain.filter((f) => moduleFacts(f).provides.length > 0);
}

describe("the catalogue namespaces sent to client components", () => {
  const files = routeFiles(appDir);

  it("finds the route files and the client components they render", () => {
    // Guards the reading itself: were imports or "use client" missed, every check below would pass on nothing.
    const playground = files.find((f) => f.endsWith(path.join("playground", "page.tsx")));
    expect(playground).toBeDefined();
    const use = clientUse(playground!);
    expect(use.clientModules).toBeGreaterThan(5);
    expect([...use.namespaces.keys()]).toEqual(expect.arrayContaining(["playground", "reasons", "sentences"]));
    expect([...clientUse(path.join(appDir, "(studio)", "layout.tsx")).namespaces.keys()].sort()).toEqual(["common", "sentences", "shell"]);
    // A server component reads the request's whole catalogue (getTranslations): its namespaces are not counted.
    expect(moduleFacts(path.join(appDir, "(studio)", "settings", "page.tsx")).client).toBe(false);
  });

  it("has each route file's client namespaces provided once by the providers above it, and nothing unread sent", () => {
    const problems: string[] = [];
    const read = new Map<string, Set<string>>(); // provider file → the namespaces it sends that routes under it read
    for (const file of files) {
      const relative = path.relative(root, file);
      const facts = moduleFacts(file);
      if (facts.provides.length > 1) problems.push(`${relative}: more than one provider; wrap the whole client tree in one`);
      if (facts.provides.includes(null)) problems.push(`${relative}: a provider's namespaces must be an array of string literals`);
      for (const namespace of facts.provides.flatMap((p) => p ?? [])) {
        if (!catalogueNamespaces.has(namespace)) problems.push(`${relative}: provides "${namespace}", which is not a catalogue namespace`);
      }
      const chain = providerChain(file);
      const sentBy = new Map<string, string>();
      for (const provider of [...chain].reverse()) {
        for (const namespace of moduleFacts(provider).provides[0] ?? []) {
          const above = sentBy.get(namespace);
          if (above && above !== provider) problems.push(`${path.relative(root, provider)}: sends "${namespace}", which ${path.relative(root, above)} already sends`);
          else sentBy.set(namespace, provider);
        }
      }
      const use = clientUse(file);
      problems.push(...use.unchecked.map((u) => `${u} (name the namespace, so this check can see it)`));
      for (const [namespace, readers] of use.namespaces) {
        const provider = sentBy.get(namespace);
        if (!provider) {
          problems.push(`${relative}: "${namespace}" (read by ${readers.join(", ")}) is sent by no provider above it; add it to its page's <MoreClientMessages>`);
          continue;
        }
        read.set(provider, (read.get(provider) ?? new Set<string>()).add(namespace));
      }
    }
    for (const file of files) {
      const provided = moduleFacts(file).provides[0];
      if (!provided) continue;
      const unread = provided.filter((namespace) => !read.get(file)?.has(namespace));
      if (unread.length > 0) problems.push(`${path.relative(root, file)}: sends ${unread.join(", ")}, which no client component under it reads`);
    }
    expect(problems).toEqual([]);
  });
});
