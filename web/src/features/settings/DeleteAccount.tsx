// "Delete my account": says what happens (docs/domain.md), asks for the password again
// and, for coaches, who takes over their exercises; then the person is signed out.
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate } from "react-router";
import { ErrorNote, Field } from "../../components/ui";
import { useAuth } from "../../lib/auth";
import { deleteAccount } from "./api";

export function DeleteAccount() {
  const auth = useAuth();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState("");
  const [successor, setSuccessor] = useState("");
  const remove = useMutation({
    mutationFn: () => deleteAccount({ password, successor_email: successor.trim() || null }),
    onSuccess: async () => {
      // Leave the signed-in pages first: signing out under them would redirect to the
      // sign-in page without the notice.
      navigate("/signin", { replace: true, state: { notice: "Your account was deleted." } });
      await auth.signOut();
    },
  });
  return (
    <div className="card danger-zone" role="group" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete my account</h2>
      <ul className="small">
        <li>Your practice threads go, with your attempt videos and everything said about them.</li>
        <li>
          Exercises you wrote go to the coach you name below, with their threads, playlists and
          learners; with no one named they are archived: private, and their threads stay readable
          to your learners, read-only.
        </li>
        <li>What you said in other people's threads stays, signed “Deleted account”.</li>
        <li>Every device is signed out. This cannot be undone.</li>
      </ul>
      {!open ? (
        <button type="button" className="danger" onClick={() => setOpen(true)}>
          Delete my account…
        </button>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            remove.mutate();
          }}
        >
          <Field label="Hand my exercises to (email, optional)">
            <input type="email" value={successor} onChange={(e) => setSuccessor(e.target.value)} />
          </Field>
          <Field label="Your password, to confirm">
            <input
              type="password"
              required
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </Field>
          <ErrorNote error={remove.error} />
          <button type="submit" className="danger" disabled={remove.isPending}>
            Delete my account for good
          </button>{" "}
          <button type="button" className="link" onClick={() => setOpen(false)}>
            Keep my account
          </button>
        </form>
      )}
    </div>
  );
}
