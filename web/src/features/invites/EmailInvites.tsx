// Invite learners by email: paste one or many addresses; each gets its own invite and a
// mail with a link to the join page. Resend sends a new link (the earlier stops working).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, call } from "../../api/client";
import { ErrorNote, Field } from "../../components/ui";
import { coachKeys, invitesQuery } from "../coach/api";

/** Addresses from pasted text: split on commas, semicolons, spaces and new lines. */
export function addressesIn(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((a) => a.trim()).filter((a) => a.includes("@")))];
}

export function EmailInvites() {
  const client = useQueryClient();
  const [text, setText] = useState("");
  const [note, setNote] = useState("");
  const invites = useQuery(invitesQuery());
  const send = useMutation({
    mutationFn: () => call(api.POST("/api/v1/invites/email", { body: { emails: addressesIn(text), note: note.trim() || undefined } })),
    onSuccess: () => {
      setText("");
      void client.invalidateQueries({ queryKey: coachKeys.invites });
    },
  });
  const resend = useMutation({
    mutationFn: (id: string) => call(api.POST("/api/v1/invites/{invite_id}/resend", { params: { path: { invite_id: id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: coachKeys.invites }),
  });
  const emailed = invites.data?.items.filter((i) => i.email && i.state === "pending") ?? [];
  return (
    <div>
      <h2>Invite by email</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          send.mutate();
        }}
      >
        <Field label="Email addresses" hint="One or many, separated by commas or new lines (up to 20).">
          <textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} />
        </Field>
        <Field label="Note in the email (optional)">
          <input maxLength={200} value={note} onChange={(e) => setNote(e.target.value)} />
        </Field>
        <button type="submit" disabled={send.isPending || addressesIn(text).length === 0}>
          Send invites
        </button>
      </form>
      {send.isSuccess && (
        <p className="notice" role="status">
          Invites sent to {send.data.map((i) => i.email).join(", ")}.
        </p>
      )}
      <ErrorNote error={send.error ?? resend.error} />
      {emailed.length > 0 && (
        <ul className="list" aria-label="Emailed invites">
          {emailed.map((i) => (
            <li key={i.id}>
              {i.email} <span className="badge">{i.state}</span>{" "}
              <button type="button" className="link" onClick={() => resend.mutate(i.id)}>
                Resend
              </button>
              {resend.isSuccess && resend.variables === i.id && <span role="status"> Sent again.</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
