// The pages a link in a mail opens: verify an address, confirm a new one, unsubscribe.
// Each asks for a click before it acts, so a mail scanner that follows every link
// changes nothing.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { ErrorNote } from "../../components/ui";
import { accountKeys } from "../settings/api";
import { confirmEmailChange, unsubscribe, verifyEmail } from "./api";

function LinkPage(props: { title: string; action: string; done: string; run: () => Promise<unknown>; ready: boolean }) {
  const client = useQueryClient();
  const act = useMutation({ mutationFn: props.run, onSuccess: () => client.invalidateQueries({ queryKey: accountKeys.all }) });
  return (
    <section className="card narrow" aria-labelledby="link-title">
      <h1 id="link-title">{props.title}</h1>
      {!props.ready ? (
        <p>This page needs the whole link from the email.</p>
      ) : act.isSuccess ? (
        <p className="notice" role="status">
          {props.done}
        </p>
      ) : (
        <>
          <ErrorNote error={act.error} />
          <button type="button" onClick={() => act.mutate()} disabled={act.isPending}>
            {props.action}
          </button>
        </>
      )}
      <p className="muted">
        <Link to="/">Go to Practika</Link>
      </p>
    </section>
  );
}

export function VerifyEmail() {
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  return (
    <LinkPage
      title="Confirm your email address"
      action="Confirm my email address"
      done="Your email address is verified."
      ready={!!token}
      run={() => verifyEmail(token)}
    />
  );
}

export function ConfirmEmailChange() {
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  return (
    <LinkPage
      title="Confirm your new email address"
      action="Use this address"
      done="Your account now uses this address. Sign in with it from now on."
      ready={!!token}
      run={() => confirmEmailChange(token)}
    />
  );
}

const KINDS: Record<string, string> = {
  feedback: "feedback and comments",
  attempt: "new attempts to review",
  invite_accepted: "accepted invites",
};

export function Unsubscribe() {
  const [params] = useSearchParams();
  const query = { u: params.get("u") ?? "", k: params.get("k") ?? "", s: params.get("s") ?? "" };
  const what = KINDS[query.k] ?? "these";
  return (
    <LinkPage
      title="Unsubscribe"
      action={`Stop emails about ${what}`}
      done={`You will get no more emails about ${what}. Change this any time in Settings.`}
      ready={!!(query.u && query.k && query.s)}
      run={() => unsubscribe(query)}
    />
  );
}
