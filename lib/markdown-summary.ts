// One line of plain text from a Markdown description, for list cells: the first block's text with its markup
// removed (links keep their words, code its content), parsed by the Markdown parser react-markdown uses, so a list
// never shows raw `**` or `[text](url)`.
import { fromMarkdown } from "mdast-util-from-markdown";

interface MarkdownNode {
  type: string;
  value?: string;
  children?: MarkdownNode[];
}

/** Containers whose children are separate blocks (list items, quoted paragraphs, table cells): words need a space. */
const BLOCK_CONTAINERS = new Set(["root", "list", "listItem", "blockquote", "table", "tableRow", "tableCell"]);

function plainText(node: MarkdownNode): string {
  // Raw HTML is dropped, not shown as text: a description's <script> is neither rendered nor worth reading.
  if (node.type === "html") return "";
  if (node.type === "break") return " ";
  if (typeof node.value === "string") return node.value;
  return (node.children ?? []).map(plainText).join(BLOCK_CONTAINERS.has(node.type) ? " " : "");
}

export function markdownSummary(markdown: string, maxLength = 140): string {
  if (!markdown.trim()) return "";
  const blocks = (fromMarkdown(markdown) as MarkdownNode).children ?? [];
  // A list stands for its first item: "trained on v3", not every bullet run together.
  const firstOfList = (block: MarkdownNode) => (block.type === "list" && block.children?.length ? block.children[0]! : block);
  const text = blocks.map((block) => plainText(firstOfList(block)).replace(/\s+/g, " ").trim()).find((line) => line !== "") ?? "";
  return text.length > maxLength ? `${text.slice(0, maxLength - 1).trimEnd()}…` : text;
}
