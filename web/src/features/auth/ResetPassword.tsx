// Set a new password with a single-use link (/reset?token=…), emailed or handed over by an admin.
// Success signs the account out everywhere, so it ends on the sign-in page.
import { useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { api, call } from "../../api/client";
import { ErrorNote, Field } from "../../components/ui";
import { usePageTitle } from "../../lib/title";

export function ResetPassword() {
  usePageTitle("Reset your password");
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const navigate = useNavigate();
  const [password, setPassword] = useState("");
  const [again, setAgain] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const mismatch = again !== "" && again !== password;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (mismatch) return;
    setBusy(true);
    setError(null);
    try {
      await call(api.POST("/api/v1/auth/password-reset", { body: { token, new_password: password } }));
      navigate("/signin", { replace: true, state: { notice: "Your password is set. Sign in with it." } });
    } catch (e) {
      setError(e); // the typed password stays, to fix and send again
    } finally {
      setBusy(false);
    }
  };

  if (!token)
    return (
      <section className="card narrow" aria-labelledby="reset-title">
        <h1 id="reset-title">Reset your password</h1>
        <p>
          This page needs the whole link from the email. <Link to="/forgot">Ask for a new link</Link>.
        </p>
        <Link to="/signin">Back to sign in</Link>
      </section>
    );

  return (
    <form className="card narrow" onSubmit={submit} aria-labelledby="reset-title">
      <h1 id="reset-title">Choose a new password</h1>
      <p className="muted">The link works once. Every device signed in to your account will be signed out.</p>
      <Field label="New password" hint="At least 10 characters, not your email address.">
        <input type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </Field>
      <Field label="New password again">
        <input type="password" autoComplete="new-password" required value={again} onChange={(e) => setAgain(e.target.value)} />
      </Field>
      {mismatch && (
        <p className="error" role="alert">
          The two passwords differ.
        </p>
      )}
      <ErrorNote error={error} />
      <button type="submit" disabled={busy || mismatch || !password}>
        {busy ? "Saving…" : "Set password"}
      </button>
    </form>
  );
}
