// Write a comment on the selected range (or the current moment), optionally as a reply
// and with a drawing. The text is cleared only once the service has it.
import { useEffect, useState, type FormEvent } from "react";
import type { Comment, Drawing } from "../../api/client";
import { ErrorNote } from "../../components/ui";
import { formatMs } from "../../lib/time";
import type { Range } from "../../lib/timeline";
import type { Tool } from "./drawing";
import { hasContent } from "./tools/geometry";
import type { NewComment } from "./useComments";

export const KINDS = ["correction", "cue", "question", "encouragement", "progress"] as const;
type Kind = (typeof KINDS)[number];

export const MAX_BODY = 5000;
/** The counter shows from here on, so the limit is never a surprise (nor a silent cut). */
export const COUNT_FROM = 4500;

/** What a new comment is, unless the writer says otherwise: a learner mostly asks, a
 * coach mostly corrects, and a reply is just a reply. */
export function defaultKind(asLearner: boolean, reply: boolean): Kind | null {
  if (reply) return null;
  return asLearner ? "question" : "correction";
}

export interface DrawingControls {
  drawing: Drawing | null;
  active: boolean;
  tool: Tool;
  color: string;
  toggle(): void;
  clear(): void;
  setTool(tool: Tool): void;
  setColor(color: string): void;
}

interface Props {
  range: Range;
  replyTo: Comment | null;
  onCancelReply(): void;
  draw: DrawingControls;
  onPost(comment: NewComment): Promise<unknown>;
  error: unknown;
  pending: boolean;
  /** The writer is the thread's learner (not the coach). */
  asLearner?: boolean;
  /** Words to start from (a movement departure the coach chose); `key` tells a new one. */
  suggestion?: { text: string; key: number } | null;
}

export function CommentForm({
  range,
  replyTo,
  onCancelReply,
  draw,
  onPost,
  error,
  pending,
  asLearner = false,
  suggestion,
}: Props) {
  const [body, setBody] = useState("");
  const [kind, setKind] = useState<Kind | null>(() => defaultKind(asLearner, !!replyTo));
  const reply = !!replyTo;
  // Starting or leaving a reply (or learning who writes) resets the kind to its default.
  useEffect(() => setKind(defaultKind(asLearner, reply)), [asLearner, reply]);
  useEffect(() => {
    if (!suggestion) return;
    setBody(suggestion.text.charAt(0).toUpperCase() + suggestion.text.slice(1) + ".");
    setKind("correction");
  }, [suggestion]);
  const length = body.trim().length;
  const over = length - MAX_BODY;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!body.trim() || over > 0) return;
    const drawing = hasContent(draw.drawing) ? { ...draw.drawing, frame_ms: range.start } : null;
    try {
      await onPost({
        t_start_ms: range.start,
        t_end_ms: range.end,
        body: body.trim(),
        kind,
        reply_to_id: replyTo?.id ?? null,
        drawing,
      });
      setBody("");
    } catch {
      // Shown through `error`; the text stays in the box to try again.
    }
  };
  const at = range.end > range.start ? `${formatMs(range.start)}–${formatMs(range.end)}` : formatMs(range.start);
  return (
    <form className="card comment-form" onSubmit={submit} aria-labelledby="comment-form-title">
      <h2 id="comment-form-title">
        {replyTo ? `Reply to ${replyTo.author.display_name}` : "Comment"} <span className="muted small">at {at}</span>
      </h2>
      <p className="muted small">Drag on the timeline to pick a range; otherwise the comment marks the current moment.</p>
      <div className="row wrap">
        <select aria-label="Kind of comment" value={kind ?? ""} onChange={(e) => setKind((e.target.value || null) as Kind | null)}>
          <option value="">no kind</option>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <button type="button" className="secondary" aria-pressed={draw.active} onClick={draw.toggle}>
          {draw.active ? "Done drawing" : "Draw on the frame"}
        </button>
        {replyTo && (
          <button type="button" className="link" onClick={onCancelReply}>
            Not a reply
          </button>
        )}
      </div>
      {draw.active && <p className="muted small">Draw on the picture; the tools are over it.</p>}
      {!!draw.drawing?.shapes?.length && (
        <p className="small">
          Drawing: {draw.drawing.shapes.length} {draw.drawing.shapes.length === 1 ? "shape" : "shapes"}{" "}
          <button type="button" className="link" onClick={draw.clear}>
            Clear
          </button>
        </p>
      )}
      <textarea
        aria-label="Comment"
        rows={3}
        value={body}
        aria-invalid={over > 0 || undefined}
        aria-describedby="comment-count"
        onChange={(e) => setBody(e.target.value)}
        placeholder="Knees track over the toes here…"
      />
      {length >= COUNT_FROM && (
        <p id="comment-count" className={over > 0 ? "field-error" : "muted small"} data-testid="comment-count" aria-live="polite">
          {length.toLocaleString("en")} / {MAX_BODY.toLocaleString("en")}
          {over > 0 && ` — ${over.toLocaleString("en")} over: shorten it, or split it into two comments.`}
        </p>
      )}
      <ErrorNote error={error} />
      <button type="submit" disabled={pending || !body.trim() || over > 0}>
        {pending ? "Posting…" : "Post comment"}
      </button>
    </form>
  );
}
