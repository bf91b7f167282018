import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { ErrorNote, Field } from "../../components/ui";
import { useAuth } from "../../lib/auth";
import { usePageTitle } from "../../lib/title";
import { linksQuery } from "../coach/api";

export function SignUp() {
  usePageTitle("Create an account");
  const { signUp } = useAuth();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [params] = useSearchParams();
  const [form, setForm] = useState({ display_name: "", email: "", password: "", invite_code: params.get("invite") ?? "" });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const invite_code = form.invite_code.trim() || undefined;
      await signUp({ ...form, invite_code });
      // Joined through an invite: the library greets them with their coach's name.
      const links = invite_code ? await client.fetchQuery(linksQuery("learner")).catch(() => null) : null;
      navigate("/", { state: links?.items[0] ? { joined: links.items[0].coach.display_name } : undefined });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card narrow" onSubmit={submit} aria-labelledby="signup-title">
      <h1 id="signup-title">Create your account</h1>
      <Field label="Your name">
        <input required autoComplete="name" value={form.display_name} onChange={set("display_name")} />
      </Field>
      <Field label="Email">
        <input type="email" required autoComplete="email" value={form.email} onChange={set("email")} />
      </Field>
      <Field label="Password" hint="At least 10 characters.">
        <input type="password" required minLength={10} autoComplete="new-password" value={form.password} onChange={set("password")} />
      </Field>
      <Field label="Invite code (optional)" hint="From your coach: it links your account to theirs.">
        <input value={form.invite_code} onChange={set("invite_code")} />
      </Field>
      <ErrorNote error={error} />
      <button type="submit" disabled={busy}>
        {busy ? "Creating…" : "Create account"}
      </button>
      <p className="muted">
        Already have one? <Link to="/signin">Sign in</Link>
      </p>
    </form>
  );
}
