// A model or version description rendered as markdown: raw HTML shown as text, unsafe URLs emptied, links open apart, images become links.
import Markdown, { type Components } from "react-markdown";
import styles from "./models.module.css";

/**
 * react-markdown never renders raw HTML and empties javascript:/data: URLs; on top of that links open
 * without a referrer and images become links, so a description never makes the browser fetch from elsewhere.
 */
const markdownComponents: Components = {
  a: ({ href, children }) =>
    href ? (
      <a href={href} target="_blank" rel="noopener noreferrer">
        {children}
      </a>
    ) : (
      <span>{children}</span>
    ),
  img: ({ src, alt }) =>
    typeof src === "string" && src ? (
      <a href={src} target="_blank" rel="noopener noreferrer">
        {alt || src}
      </a>
    ) : (
      <span>{alt}</span>
    ),
};

export function ModelMarkdown({ text }: { text: string }) {
  return (
    <div className={styles.markdown}>
      <Markdown components={markdownComponents}>{text}</Markdown>
    </div>
  );
}
