import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { api, call } from "../../api/client";
import { Empty, ErrorNote, Field, Loading } from "../../components/ui";
import { ThreadList } from "../threads/ThreadList";

export function Coach() {
  return (
    <section aria-labelledby="coach-title">
      <div className="row spread">
        <h1 id="coach-title">Coaching</h1>
        <Link className="button" to="/exercises/new">
          New exercise
        </Link>
      </div>
      <div className="columns">
        <div className="card">
          <h2>Inbox: waiting for your feedback</h2>
          <ThreadList role="coach" awaiting empty="Nothing waiting. New attempts from your learners show up here." />
          <h3>All threads</h3>
          <ThreadList role="coach" empty="No learner practises your exercises yet: invite one." />
        </div>
        <div className="card">
          <Invites />
          <AcceptInvite />
        </div>
      </div>
    </section>
  );
}

function Invites() {
  const client = useQueryClient();
  const [note, setNote] = useState("");
  const invites = useQuery({ queryKey: ["invites"], queryFn: () => call(api.GET("/api/v1/invites", { params: { query: { limit: 50 } } })) });
  const create = useMutation({
    mutationFn: () => call(api.POST("/api/v1/invites", { body: { note: note || undefined } })),
    onSuccess: () => {
      setNote("");
      void client.invalidateQueries({ queryKey: ["invites"] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => call(api.DELETE("/api/v1/invites/{invite_id}", { params: { path: { invite_id: id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["invites"] }),
  });
  return (
    <div>
      <h2>Invite a learner</h2>
      <form
        className="row"
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
        <p className="notice" role="status">
          Invite code: <code data-testid="invite-code">{create.data.code}</code> — share it once; it is not shown again.
        </p>
      )}
      {invites.isLoading && <Loading />}
      {invites.data?.items.length === 0 && <Empty>No invites yet.</Empty>}
      <ul className="list">
        {invites.data?.items.map((i) => (
          <li key={i.id}>
            <code>…{i.code_hint}</code> {i.note && <span>{i.note}</span>} <span className="badge">{i.state}</span>
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

function AcceptInvite() {
  const client = useQueryClient();
  const [code, setCode] = useState("");
  const accept = useMutation({
    mutationFn: () => call(api.POST("/api/v1/invites/accept", { body: { code: code.trim() } })),
    onSuccess: () => {
      setCode("");
      void client.invalidateQueries();
    },
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        accept.mutate();
      }}
    >
      <h2>Join a coach</h2>
      <Field label="Invite code">
        <input required value={code} onChange={(e) => setCode(e.target.value)} />
      </Field>
      <button type="submit" disabled={accept.isPending}>
        Accept invite
      </button>
      <ErrorNote error={accept.error} />
      {accept.data && (
        <p className="notice" role="status">
          You are now coached by {accept.data.coach.display_name}.
        </p>
      )}
    </form>
  );
}
