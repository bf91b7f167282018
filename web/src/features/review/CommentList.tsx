// The feedback on a video, in timeline order: click a time to seek there, reply, and
// edit or delete your own (the service keeps the history).
import { useState } from "react";
import { CommentClip } from "./voiceover/ClipReply";
import type { Comment } from "../../api/client";
import { ErrorNote } from "../../components/ui";
import { Markdown } from "../../lib/markdown";
import { formatMs, relativeTime } from "../../lib/time";
import { MeasureSummary } from "./tools/MeasureTools";

interface Props {
  comments: Comment[];
  activeId?: string;
  meId?: string;
  onPick(comment: Comment): void;
  onReply(comment: Comment): void;
  onEdit(comment: Comment, body: string): Promise<unknown>;
  onDelete(comment: Comment): Promise<unknown>;
}

export function CommentList({ comments, activeId, meId, onPick, onReply, onEdit, onDelete }: Props) {
  const authors = new Map(comments.map((c) => [c.id, c.author.display_name]));
  return (
    <ol className="comments" data-testid="comments">
      {comments.map((c) => (
        <CommentItem
          key={c.id}
          comment={c}
          active={c.id === activeId}
          mine={c.author.id === meId}
          parentAuthor={c.reply_to_id ? authors.get(c.reply_to_id) : undefined}
          onPick={onPick}
          onReply={onReply}
          onEdit={onEdit}
          onDelete={onDelete}
        />
      ))}
    </ol>
  );
}

interface ItemProps extends Pick<Props, "onPick" | "onReply" | "onEdit" | "onDelete"> {
  comment: Comment;
  active: boolean;
  mine: boolean;
  parentAuthor?: string;
}

function CommentItem({ comment: c, active, mine, parentAuthor, onPick, onReply, onEdit, onDelete }: ItemProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const attempt = async (action: () => Promise<unknown>, after?: () => void) => {
    setError(null);
    try {
      await action();
      after?.();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <li className={[active ? "active" : "", c.reply_to_id ? "reply" : ""].join(" ").trim() || undefined}>
      <button type="button" className="link time" onClick={() => onPick(c)}>
        {formatMs(c.t_start_ms)}
        {c.t_end_ms > c.t_start_ms ? `–${formatMs(c.t_end_ms)}` : ""}
      </button>{" "}
      <strong>{c.author.display_name}</strong>
      {c.kind && <span className={`badge kind-${c.kind}`}>{c.kind}</span>}
      {c.drawing && <span className="badge">drawing</span>}
      <span className="muted small"> · {relativeTime(c.created_at)}</span>
      {c.edited_at && !c.deleted_at && <span className="muted small"> · edited</span>}
      {parentAuthor && <div className="muted small">↳ replying to {parentAuthor}</div>}
      {c.deleted_at ? (
        <p>
          <em className="muted">This comment was deleted.</em>
        </p>
      ) : draft !== null ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (draft.trim()) void attempt(() => onEdit(c, draft.trim()), () => setDraft(null));
          }}
        >
          <textarea aria-label="Edit comment" rows={2} maxLength={5000} value={draft} onChange={(e) => setDraft(e.target.value)} />
          <div className="row">
            <button type="submit" className="small" disabled={!draft.trim()}>
              Save
            </button>
            <button type="button" className="link small" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          <CommentBody body={c.body} />
          {c.media_video_id && <CommentClip videoId={c.media_video_id} />}
        </>
      )}
      {!c.deleted_at && <MeasureSummary drawing={c.drawing} />}
      <ErrorNote error={error} />
      {!c.deleted_at && draft === null && (
        <div className="row">
          <button type="button" className="link small" onClick={() => onReply(c)}>
            Reply
          </button>
          {mine && (
            <>
              <button type="button" className="link small" onClick={() => setDraft(c.body)}>
                Edit
              </button>
              <button
                type="button"
                className="link small"
                onClick={() => window.confirm("Delete this comment?") && void attempt(() => onDelete(c))}
              >
                Delete
              </button>
            </>
          )}
        </div>
      )}
    </li>
  );
}

/** Long comments (many lines or characters) show their start, with "Show more". */
export const LONG_CHARS = 500;
export const LONG_LINES = 8;

export function isLong(body: string): boolean {
  return body.length > LONG_CHARS || body.split("\n").length > LONG_LINES;
}

function CommentBody({ body }: { body: string }) {
  const [open, setOpen] = useState(false);
  const long = isLong(body);
  return (
    <>
      <div className={long && !open ? "comment-body collapsed" : "comment-body"}>
        <Markdown text={body} />
      </div>
      {long && (
        <button type="button" className="link small" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? "Show less" : "Show more"}
        </button>
      )}
    </>
  );
}
