// The admin screen: find people and act on their accounts; see what failed (jobs,
// videos) with the reason and retry it; see how outgoing mail is doing.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Empty, ErrorNote, Loading } from "../../components/ui";
import { useAuth } from "../../lib/auth";
import { relativeTime } from "../../lib/time";
import {
  adminKeys,
  emailResetLink,
  healthQuery,
  issueResetLink,
  retryJob,
  retryVideo,
  updateUser,
  usersQuery,
  type AdminUser,
} from "./api";

export function Admin() {
  const { me } = useAuth();
  if (!me?.is_admin) return <p>There is nothing at this address.</p>;
  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">Admin</h1>
      <Users />
      <Health />
    </section>
  );
}

function Users() {
  const client = useQueryClient();
  const { me } = useAuth();
  const [q, setQ] = useState("");
  const [search, setSearch] = useState("");
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);
  const [notice, setNotice] = useState("");
  const users = useQuery(usersQuery(search));
  const refresh = () => client.invalidateQueries({ queryKey: adminKeys.users });
  const change = useMutation({
    mutationFn: (v: { user: AdminUser; body: { is_active?: boolean; is_admin?: boolean } }) => updateUser(v.user.id, v.body),
    onSuccess: refresh,
  });
  const issue = useMutation({
    mutationFn: (user: AdminUser) => issueResetLink(user.id),
    onSuccess: (data, user) => setLink({ email: user.email, url: `${window.location.origin}${data.reset_path}` }),
  });
  const mail = useMutation({
    mutationFn: (user: AdminUser) => emailResetLink(user.id),
    onSuccess: (_, user) => setNotice(`A reset link is on its way to ${user.email}.`),
  });
  return (
    <div className="card" role="group" aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      <form
        className="row wrap"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(q.trim());
        }}
      >
        <input aria-label="Search users" placeholder="Name or email" value={q} onChange={(e) => setQ(e.target.value)} />
        <button type="submit">Search</button>
      </form>
      {link && (
        <p className="notice" role="status">
          Reset link for {link.email} (works once; hand it over): <input readOnly aria-label="Reset link" value={link.url} />
        </p>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <ErrorNote error={users.error ?? change.error ?? issue.error ?? mail.error} />
      {users.isLoading && <Loading what="Loading users" />}
      {users.data?.items.length === 0 && <Empty>No one matches.</Empty>}
      <table className="table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Email</th>
            <th>State</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.data?.items.map((u) => (
            <tr key={u.id} data-testid={`user-${u.email}`}>
              <td>{u.display_name}</td>
              <td>{u.email}</td>
              <td>
                {u.is_admin && <span className="badge">admin</span>} {!u.is_active && <span className="badge warn">deactivated</span>}{" "}
                {u.email_verified_at ? <span className="badge">verified</span> : <span className="badge">unverified</span>}{" "}
                {u.email_bounced_at && <span className="badge warn">bounces</span>}{" "}
                {u.email_complained_at && <span className="badge warn">marked mail as spam</span>}{" "}
                {u.deleted_at && <span className="badge">deleted by owner</span>}
              </td>
              <td className="row wrap">
                {u.id !== me?.id && !u.deleted_at && (
                  <>
                    <button type="button" className="link" onClick={() => change.mutate({ user: u, body: { is_active: !u.is_active } })}>
                      {u.is_active ? "Deactivate" : "Reactivate"}
                    </button>
                    <button type="button" className="link" onClick={() => change.mutate({ user: u, body: { is_admin: !u.is_admin } })}>
                      {u.is_admin ? "Remove admin" : "Make admin"}
                    </button>
                  </>
                )}
                {u.is_active && (
                  <>
                    <button type="button" className="link" onClick={() => mail.mutate(u)} disabled={!!u.email_bounced_at || !!u.email_complained_at}>
                      Email reset link
                    </button>
                    <button type="button" className="link" onClick={() => issue.mutate(u)}>
                      Issue reset link
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Health() {
  const client = useQueryClient();
  const health = useQuery(healthQuery());
  const refresh = () => client.invalidateQueries({ queryKey: healthQuery().queryKey });
  const job = useMutation({ mutationFn: retryJob, onSuccess: refresh });
  const video = useMutation({ mutationFn: retryVideo, onSuccess: refresh });
  const data = health.data;
  return (
    <div className="card" role="group" aria-labelledby="health-title">
      <h2 id="health-title">System health</h2>
      {health.isLoading && <Loading />}
      <ErrorNote error={health.error ?? job.error ?? video.error} />
      {data && (
        <>
          <h3>Outgoing mail</h3>
          <p data-testid="mail-status">
            Backend <strong>{data.mail.backend}</strong>: {data.mail.sent_last_24h} sent in the last 24 h, {data.mail.queued}{" "}
            waiting, {data.mail.failed} failed; {data.mail.bounced_addresses} bounced addresses.
          </p>
          <h3>Failed jobs</h3>
          {data.failed_jobs.length === 0 && <Empty>No failed jobs.</Empty>}
          <ul className="list">
            {data.failed_jobs.map((j) => (
              <li key={j.id}>
                <strong>{j.kind}</strong>
                {j.message && ` (${j.message})`} after {j.attempts} attempts, {relativeTime(j.updated_at)}
                <pre className="small">{j.last_error}</pre>
                <button type="button" className="link" onClick={() => job.mutate(j.id)}>
                  Retry
                </button>
              </li>
            ))}
          </ul>
          <h3>Failed videos</h3>
          {data.failed_videos.length === 0 && <Empty>No failed videos.</Empty>}
          <ul className="list">
            {data.failed_videos.map((v) => (
              <li key={v.id}>
                {v.original_name}: {v.failure_reason} ({relativeTime(v.updated_at)}){" "}
                <button type="button" className="link" onClick={() => video.mutate(v.id)}>
                  Retry
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
