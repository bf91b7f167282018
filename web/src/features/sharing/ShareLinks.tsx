// On the thread screen (its learner and coach): make a read-only link to the thread's
// feedback or one attempt's review, see the links made, and revoke them.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { Attempt } from "../../api/client";
import { ErrorNote, Field } from "../../components/ui";
import { relativeTime } from "../../lib/time";
import { createShareLink, revokeShareLink, shareKeys, shareLinksQuery, shareUrl, type NewShareLink } from "./api";

const STATE_TEXT = { active: "active", expired: "expired", revoked: "revoked" } as const;

export function ShareLinks({ threadId, attempts }: { threadId: string; attempts: Attempt[] }) {
  const client = useQueryClient();
  const links = useQuery(shareLinksQuery(threadId));
  const [attemptId, setAttemptId] = useState("");
  const [days, setDays] = useState(7);
  const [note, setNote] = useState("");
  const [made, setMade] = useState<NewShareLink | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: shareKeys.links(threadId) });
  const create = useMutation({
    mutationFn: () =>
      createShareLink(threadId, { attempt_id: attemptId || null, expires_in_days: days, note: note.trim() || null }),
    onSuccess: (link) => {
      setMade(link);
      setNote("");
      void refresh();
    },
  });
  const revoke = useMutation({ mutationFn: (id: string) => revokeShareLink(threadId, id), onSuccess: refresh });
  const ready = attempts.filter((a) => a.video.status === "ready");
  return (
    <div className="card share-links" role="group" aria-labelledby="share-title">
      <h2 id="share-title">Share read-only</h2>
      <p className="muted small">
        Anyone with the link sees the videos and comments, without an account, until it expires or you revoke it.
      </p>
      <form
        className="row wrap"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Field label="What">
          <select value={attemptId} onChange={(e) => setAttemptId(e.target.value)}>
            <option value="">The whole thread</option>
            {ready.map((a, i) => (
              <option key={a.id} value={a.id}>
                Attempt {i + 1} ({relativeTime(a.created_at)})
              </option>
            ))}
          </select>
        </Field>
        <Field label="Expires after (days)">
          <input type="number" min={1} max={90} value={days} onChange={(e) => setDays(Number(e.target.value))} />
        </Field>
        <Field label="For (a note for your list)">
          <input maxLength={200} value={note} onChange={(e) => setNote(e.target.value)} />
        </Field>
        <button type="submit" disabled={create.isPending}>
          Create share link
        </button>
      </form>
      {made && (
        <p role="status">
          Link ready (shown once):{" "}
          <a className="token-url" href={shareUrl(made.path)} target="_blank" rel="noreferrer" data-testid="new-share-url">
            {shareUrl(made.path)}
          </a>{" "}
          <button
            type="button"
            className="link"
            onClick={() => void navigator.clipboard?.writeText(shareUrl(made.path)).catch(() => undefined)}
          >
            Copy
          </button>
        </p>
      )}
      <ErrorNote error={links.error ?? create.error ?? revoke.error} />
      {!!links.data?.length && (
        <ul className="list" aria-label="Share links">
          {links.data.map((l) => (
            <li key={l.id}>
              <span>{l.attempt_id ? "One attempt" : "Whole thread"}</span>
              {l.note && <span> · {l.note}</span>}{" "}
              <span className={`badge badge-${l.state}`}>{STATE_TEXT[l.state]}</span>{" "}
              <span className="muted small">
                {l.state === "active" ? `expires ${relativeTime(l.expires_at)}` : ""}
                {l.last_opened_at ? ` · opened ${relativeTime(l.last_opened_at)}` : " · not opened yet"}
              </span>{" "}
              {l.state === "active" && (
                <button type="button" className="link" onClick={() => revoke.mutate(l.id)}>
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
