import { useState, type FormEvent } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { ErrorNote, Field } from "../../components/ui";
import { useAuth } from "../../lib/auth";
import { usePageTitle } from "../../lib/title";

export function SignIn() {
  usePageTitle("Sign in");
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const arrived = location.state as { from?: string; notice?: string } | null;
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email, password);
      navigate(arrived?.from ?? "/");
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card narrow" onSubmit={submit} aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in</h1>
      {arrived?.notice && (
        <p className="notice" role="status">
          {arrived.notice}
        </p>
      )}
      <Field label="Email">
        <input type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </Field>
      <Field label="Password">
        <input
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </Field>
      <ErrorNote error={error} />
      <button type="submit" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
      <p className="muted">
        New here? <Link to="/signup">Create an account</Link> (a coach's invite code links you to them).
      </p>
      <p className="muted small">
        <Link to="/forgot">Forgot password?</Link>
      </p>
    </form>
  );
}
