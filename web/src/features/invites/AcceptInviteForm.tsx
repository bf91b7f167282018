// Accept a coach's invite code: links the signed-in person to that coach as a learner.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, call } from "../../api/client";
import { ErrorNote, Field } from "../../components/ui";

export function AcceptInviteForm({ initialCode = "", onAccepted }: { initialCode?: string; onAccepted?: () => void }) {
  const client = useQueryClient();
  const [code, setCode] = useState(initialCode);
  const accept = useMutation({
    mutationFn: () => call(api.POST("/api/v1/invites/accept", { body: { code: code.trim() } })),
    onSuccess: () => {
      setCode("");
      // Exercises, threads and playlists the coach shares with learners are now visible.
      void client.invalidateQueries();
      onAccepted?.();
    },
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (code.trim()) accept.mutate();
      }}
    >
      <Field label="Invite code" hint="Your coach gives you this code or a link with it.">
        <input required autoComplete="off" spellCheck={false} value={code} onChange={(e) => setCode(e.target.value)} />
      </Field>
      <button type="submit" disabled={accept.isPending || !code.trim()}>
        {accept.isPending ? "Joining…" : "Accept invite"}
      </button>
      <ErrorNote error={accept.error} />
      {accept.data && (
        <p className="notice" role="status">
          You’re now practising with {accept.data.coach.display_name}. Their exercises are in your library.
        </p>
      )}
    </form>
  );
}
