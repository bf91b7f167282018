// A small Markdown subset for exercise instructions and comments: paragraphs, line
// breaks, headings, lists, **bold**, *italic*, `code` and links. It builds React
// elements (never HTML strings), so nothing a person writes can inject markup.
import { Fragment, type ReactNode } from "react";

const INLINE = /(\*\*[^*]+\*\*|\*[^*\s][^*]*\*|_[^_\s][^_]*_|`[^`]+`|\[[^\]]+\]\([^)\s]+\))/g;

/** Only web links and paths on this site; `javascript:` and the like stay text. */
export function safeHref(href: string): string | null {
  return /^(https?:\/\/|\/(?!\/))/i.test(href) ? href : null;
}

export function inline(text: string): ReactNode[] {
  return text.split(INLINE).map((part, i) => {
    if (part.startsWith("**") && part.endsWith("**") && part.length > 4) return <strong key={i}>{part.slice(2, -2)}</strong>;
    if (part.startsWith("`") && part.endsWith("`") && part.length > 2) return <code key={i}>{part.slice(1, -1)}</code>;
    if (/^(\*[^*].*\*|_[^_].*_)$/.test(part)) return <em key={i}>{part.slice(1, -1)}</em>;
    const link = part.match(/^\[([^\]]+)\]\(([^)\s]+)\)$/);
    if (link) {
      const href = safeHref(link[2]);
      return href ? (
        <a key={i} href={href} target={href.startsWith("/") ? undefined : "_blank"} rel="noreferrer noopener">
          {link[1]}
        </a>
      ) : (
        <Fragment key={i}>{part}</Fragment>
      );
    }
    return <Fragment key={i}>{part}</Fragment>;
  });
}

function lines(text: string): ReactNode[] {
  return text.split("\n").map((line, i) => (
    <Fragment key={i}>
      {i > 0 && <br />}
      {inline(line)}
    </Fragment>
  ));
}

type Block = { kind: "p" | "h" | "ul" | "ol"; lines: string[] };

function blocks(text: string): Block[] {
  const out: Block[] = [];
  for (const raw of text.replace(/\r\n?/g, "\n").split("\n")) {
    const line = raw.trimEnd();
    const last = out[out.length - 1];
    if (!line.trim()) {
      out.push({ kind: "p", lines: [] }); // a blank line ends the block
      continue;
    }
    const heading = line.match(/^#{1,6}\s+(.*)$/);
    const bullet = line.match(/^\s*[-*+]\s+(.*)$/);
    const numbered = line.match(/^\s*\d+[.)]\s+(.*)$/);
    if (heading) out.push({ kind: "h", lines: [heading[1]] });
    else if (bullet || numbered) {
      const kind = bullet ? "ul" : "ol";
      const item = (bullet ?? numbered)![1];
      if (last?.kind === kind) last.lines.push(item);
      else out.push({ kind, lines: [item] });
    } else if (last?.kind === "p" && last.lines.length) last.lines.push(line);
    else out.push({ kind: "p", lines: [line] });
  }
  return out.filter((b) => b.lines.length > 0);
}

export function Markdown({ text, className }: { text: string; className?: string }) {
  return (
    <div className={className ? `markdown ${className}` : "markdown"}>
      {blocks(text).map((b, i) => {
        if (b.kind === "h") return <h3 key={i}>{inline(b.lines[0])}</h3>;
        if (b.kind === "ul" || b.kind === "ol") {
          const List = b.kind;
          return (
            <List key={i}>
              {b.lines.map((item, j) => (
                <li key={j}>{inline(item)}</li>
              ))}
            </List>
          );
        }
        return <p key={i}>{lines(b.lines.join("\n"))}</p>;
      })}
    </div>
  );
}

/** The words without the markup, for one-line previews (library cards, notifications). */
export function plainText(text: string): string {
  return text
    .replace(/^#{1,6}\s+|^\s*([-*+]|\d+[.)])\s+/gm, "")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/(\*\*|`|\*|_)(.+?)\1/g, "$2")
    .replace(/\s+/g, " ")
    .trim();
}
