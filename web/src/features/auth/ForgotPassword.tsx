// "Forgot password?": ask for a reset link by mail. The answer is the same whether or
// not the address has an account, so this page cannot tell who is signed up.
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { ErrorNote, Field } from "../../components/ui";
import { forgotPassword } from "./api";

export function ForgotPassword() {
  const [email, setEmail] = useState("");
  const send = useMutation({ mutationFn: forgotPassword });
  return (
    <form
      className="card narrow"
      aria-labelledby="forgot-title"
      onSubmit={(e) => {
        e.preventDefault();
        send.mutate(email);
      }}
    >
      <h1 id="forgot-title">Reset your password</h1>
      {send.isSuccess ? (
        <p className="notice" role="status">
          If {email} has an account, a link to choose a new password is on its way. It works once and expires in a day.
        </p>
      ) : (
        <>
          <p className="muted">We will email you a link to choose a new password.</p>
          <Field label="Email">
            <input type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </Field>
          <ErrorNote error={send.error} />
          <button type="submit" disabled={send.isPending}>
            {send.isPending ? "Sending…" : "Send reset link"}
          </button>
        </>
      )}
      <p className="muted">
        <Link to="/signin">Back to sign in</Link>
      </p>
    </form>
  );
}
