// The page an invite link opens (/join?code=…): sign up or sign in, then accept.
import { useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { Loading } from "../../components/ui";
import { useAuth } from "../../lib/auth";
import { invitePreviewQuery } from "../coach/api";
import { AcceptInviteForm } from "./AcceptInviteForm";
import { usePageTitle } from "../../lib/title";

export function JoinCoach() {
  usePageTitle("Join your coach");
  const { me, loading } = useAuth();
  const [params] = useSearchParams();
  const code = params.get("code") ?? "";
  const invite = useQuery(invitePreviewQuery(code));
  const coach = invite.data?.coach.display_name;
  if (loading) return <Loading />;
  const here = `/join?code=${encodeURIComponent(code)}`;
  return (
    <section className="card narrow" aria-labelledby="join-title">
      <h1 id="join-title">{coach ? `Train with ${coach}` : "Train with a coach"}</h1>
      {invite.data && invite.data.state !== "pending" && (
        <p className="error" role="alert">
          This invite is {invite.data.state}. Ask {coach} for a new one.
        </p>
      )}
      {invite.isError && code && (
        <p className="error" role="alert">
          This invite code does not exist. Check the link, or ask your coach for a new one.
        </p>
      )}
      {me ? (
        <>
          <p>Accept the invite to share your practice with {coach ?? "your coach"} and get feedback on your attempts.</p>
          <AcceptInviteForm initialCode={code} />
        </>
      ) : (
        <>
          <p>
            {coach ? `${coach} invited you` : "A coach invited you"} to Practika. Create an account with the invite, or sign in if you
            have one.
          </p>
          <div className="row wrap">
            <Link className="button" to={`/signup?invite=${encodeURIComponent(code)}`}>
              Create an account
            </Link>
            <Link className="button secondary" to="/signin" state={{ from: here }}>
              Sign in
            </Link>
          </div>
        </>
      )}
    </section>
  );
}
