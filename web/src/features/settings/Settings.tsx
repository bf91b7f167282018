// Profile and security: name, time zone, email (verification, change), password,
// notification mail per kind, and the sessions signed in to the account.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ErrorNote, Field, Loading } from "../../components/ui";
import { DeleteAccount } from "./DeleteAccount";
import { relativeTime } from "../../lib/time";
import { authKeys } from "../auth/api";
import {
  accountQuery,
  changePassword,
  endOtherSessions,
  endSession,
  mailPreferencesQuery,
  requestEmailChange,
  resendVerification,
  sessionsQuery,
  setMailPreferences,
  updateAccount,
  type Account,
  type MailMode,
  type MailPreferences,
} from "./api";

export function Settings() {
  const account = useQuery(accountQuery());
  if (account.isLoading) return <Loading />;
  if (!account.data) return <ErrorNote error={account.error} retry={() => void account.refetch()} />;
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <Profile account={account.data} />
      <EmailSection account={account.data} />
      <PasswordSection />
      <Preferences />
      <Sessions />
      <DeleteAccount />
    </section>
  );
}

function zones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return ["UTC", ...(intl.supportedValuesOf?.("timeZone") ?? [])];
}

function Profile({ account }: { account: Account }) {
  const client = useQueryClient();
  const [name, setName] = useState(account.display_name);
  const [zone, setZone] = useState(account.time_zone);
  const save = useMutation({
    mutationFn: () => updateAccount({ display_name: name, time_zone: zone }),
    onSuccess: (data) => {
      client.setQueryData(accountQuery().queryKey, data);
      void client.invalidateQueries({ queryKey: authKeys.me });
    },
  });
  return (
    <form
      className="card"
      aria-labelledby="profile-title"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h2 id="profile-title">Profile</h2>
      <Field label="Display name">
        <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field label="Time zone" hint="Notification mail waits out your night (22:00–07:00) in this zone.">
        <select value={zone} onChange={(e) => setZone(e.target.value)}>
          {zones().map((z) => (
            <option key={z}>{z}</option>
          ))}
        </select>
      </Field>
      <ErrorNote error={save.error} />
      <button type="submit" disabled={save.isPending}>
        Save profile
      </button>
      {save.isSuccess && <span role="status"> Saved.</span>}
    </form>
  );
}

function EmailSection({ account }: { account: Account }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const resend = useMutation({ mutationFn: resendVerification });
  const change = useMutation({ mutationFn: () => requestEmailChange({ email, password }) });
  return (
    <div className="card" aria-labelledby="email-title" role="group">
      <h2 id="email-title">Email</h2>
      <p>
        {account.email}{" "}
        {account.email_verified ? (
          <span className="badge">verified</span>
        ) : (
          <span className="badge warn">not verified</span>
        )}
        {account.email_bounced && <span className="badge warn">mail bounces</span>}
      </p>
      {!account.email_verified && (
        <p>
          Verify your address to get notification mail.{" "}
          <button type="button" className="link" onClick={() => resend.mutate()} disabled={resend.isPending}>
            Send the link again
          </button>
          {resend.isSuccess && <span role="status"> Sent.</span>}
        </p>
      )}
      <ErrorNote error={resend.error} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          change.mutate();
        }}
      >
        <Field label="New email address" hint="We send a link to it; your address changes once you use the link.">
          <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </Field>
        <Field label="Your password">
          <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        <ErrorNote error={change.error} />
        <button type="submit" disabled={change.isPending}>
          Change email
        </button>
        {change.isSuccess && <p role="status">Check {email} for the link to confirm it.</p>}
      </form>
    </div>
  );
}

function PasswordSection() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const save = useMutation({
    mutationFn: () => changePassword({ current_password: current, new_password: next }),
    onSuccess: () => {
      setCurrent("");
      setNext("");
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form className="card" aria-labelledby="password-title" onSubmit={submit}>
      <h2 id="password-title">Password</h2>
      <Field label="Current password">
        <input type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} />
      </Field>
      <Field label="New password" hint="At least 10 characters. Other devices will be signed out.">
        <input type="password" autoComplete="new-password" required value={next} onChange={(e) => setNext(e.target.value)} />
      </Field>
      <ErrorNote error={save.error} />
      <button type="submit" disabled={save.isPending}>
        Change password
      </button>
      {save.isSuccess && <span role="status"> Password changed.</span>}
    </form>
  );
}

const KINDS: { key: keyof MailPreferences; label: string }[] = [
  { key: "feedback", label: "New feedback and comments" },
  { key: "attempt", label: "New attempts to review" },
  { key: "invite_accepted", label: "Invites accepted" },
];
const MODES: { value: MailMode; label: string }[] = [
  { value: "immediate", label: "Right away" },
  { value: "digest", label: "Daily digest" },
  { value: "off", label: "Off" },
];

function Preferences() {
  const client = useQueryClient();
  const prefs = useQuery(mailPreferencesQuery());
  const save = useMutation({
    mutationFn: setMailPreferences,
    onSuccess: (data) => client.setQueryData(mailPreferencesQuery().queryKey, data),
  });
  return (
    <div className="card" role="group" aria-labelledby="prefs-title">
      <h2 id="prefs-title">Notification email</h2>
      <p className="muted small">In-app notifications always appear. Mail goes only to a verified address.</p>
      {prefs.isLoading && <Loading />}
      {prefs.data &&
        KINDS.map(({ key, label }) => (
          <Field key={key} label={label}>
            <select value={prefs.data[key]} onChange={(e) => save.mutate({ [key]: e.target.value as MailMode })}>
              {MODES.map((m) => (
                <option key={m.value} value={m.value}>
                  {m.label}
                </option>
              ))}
            </select>
          </Field>
        ))}
      <ErrorNote error={prefs.error ?? save.error} />
      {save.isSuccess && <p role="status">Preferences saved.</p>}
    </div>
  );
}

function Sessions() {
  const client = useQueryClient();
  const sessions = useQuery(sessionsQuery());
  const refresh = () => client.invalidateQueries({ queryKey: sessionsQuery().queryKey });
  const end = useMutation({ mutationFn: endSession, onSuccess: refresh });
  const endOthers = useMutation({ mutationFn: endOtherSessions, onSuccess: refresh });
  const others = sessions.data?.filter((s) => !s.current).length ?? 0;
  return (
    <div className="card" role="group" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Signed-in devices</h2>
      <ul className="list" aria-label="Sessions">
        {sessions.data?.map((s) => (
          <li key={s.id}>
            <span title={s.user_agent ?? undefined}>{s.device}</span>{" "}
            <span className="muted small">
              last seen {relativeTime(s.last_seen_at)}, signed in {relativeTime(s.created_at)}
            </span>{" "}
            {s.current ? (
              <span className="badge">this device</span>
            ) : (
              <button type="button" className="link" onClick={() => end.mutate(s.id)}>
                Sign out
              </button>
            )}
          </li>
        ))}
      </ul>
      {others > 0 && (
        <button type="button" onClick={() => endOthers.mutate()} disabled={endOthers.isPending}>
          Sign out all other devices
        </button>
      )}
      {endOthers.isSuccess && <p role="status">Signed out {endOthers.data.signed_out} other sessions.</p>}
      <ErrorNote error={sessions.error ?? end.error ?? endOthers.error} />
    </div>
  );
}
