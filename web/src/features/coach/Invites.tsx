// The coach's invites: create one (the code and a link to share are shown once), list, revoke.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Empty, ErrorNote, Loading } from "../../components/ui";
import { relativeTime } from "../../lib/time";
import { coachKeys, createInvite, invitesQuery, revokeInvite } from "./api";

export function inviteLink(code: string, origin: string = window.location.origin): string {
  return `${origin}/join?code=${encodeURIComponent(code)}`;
}

export function Invites() {
  const client = useQueryClient();
  const [note, setNote] = useState("");
  const [copied, setCopied] = useState(false);
  const invites = useQuery(invitesQuery());
  const create = useMutation({
    mutationFn: () => createInvite(note),
    onSuccess: () => {
      setNote("");
      setCopied(false);
      void client.invalidateQueries({ queryKey: coachKeys.invites });
    },
  });
  const revoke = useMutation({
    mutationFn: revokeInvite,
    onSuccess: () => client.invalidateQueries({ queryKey: coachKeys.invites }),
  });
  const link = create.data ? inviteLink(create.data.code) : "";
  return (
    <div>
      <h2>Invite a learner</h2>
      <form
        className="row wrap"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <input aria-label="Note (who is it for?)" placeholder="Note (who is it for?)" value={note} onChange={(e) => setNote(e.target.value)} />
        <button type="submit" disabled={create.isPending}>
          Create invite
        </button>
      </form>
      <ErrorNote error={create.error ?? revoke.error} />
      {create.data && (
        <div className="notice" role="status">
          <p>
            Invite code: <code data-testid="invite-code">{create.data.code}</code> — share the code or the link; it stays in
            your list below until it is used. It expires {new Date(create.data.expires_at).toLocaleDateString()}.
          </p>
          <p className="row wrap">
            <input readOnly aria-label="Invite link" value={link} onFocus={(e) => e.currentTarget.select()} />
            {navigator.clipboard && (
              <button
                type="button"
                className="secondary"
                onClick={() => void navigator.clipboard.writeText(link).then(() => setCopied(true), () => undefined)}
              >
                {copied ? "Copied" : "Copy link"}
              </button>
            )}
          </p>
        </div>
      )}
      {invites.isLoading && <Loading what="Loading invites" />}
      {invites.data?.items.length === 0 && <Empty>No invites yet.</Empty>}
      <ul className="list">
        {invites.data?.items.map((i) => (
          <li key={i.id}>
            {i.code ? <code className="invite-code">{i.code}</code> : <code>{i.code_hint}…</code>} {i.note && <span>{i.note}</span>}{" "}
            <span className="badge">{i.state}</span>{" "}
            <span className="muted small">{relativeTime(i.created_at)}</span>
            {i.code && navigator.clipboard && (
              <button type="button" className="link" onClick={() => void navigator.clipboard.writeText(inviteLink(i.code!)).catch(() => undefined)}>
                Copy link
              </button>
            )}
            {i.state === "pending" && (
              <button type="button" className="link" onClick={() => revoke.mutate(i.id)}>
                Revoke
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
