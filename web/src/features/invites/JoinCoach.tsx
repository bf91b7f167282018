// The page an invite link opens (/join?code=…): sign up or sign in, then accept.
import { Link, useSearchParams } from "react-router";
import { Loading } from "../../components/ui";
import { useAuth } from "../../lib/auth";
import { AcceptInviteForm } from "./AcceptInviteForm";
import { usePageTitle } from "../../lib/title";

export function JoinCoach() {
  usePageTitle("Join your coach");
  const { me, loading } = useAuth();
  const [params] = useSearchParams();
  const code = params.get("code") ?? "";
  if (loading) return <Loading />;
  const here = `/join?code=${encodeURIComponent(code)}`;
  return (
    <section className="card narrow" aria-labelledby="join-title">
      <h1 id="join-title">Train with a coach</h1>
      {me ? (
        <>
          <p>Accept the invite to share your practice with your coach and get feedback on your attempts.</p>
          <AcceptInviteForm initialCode={code} />
        </>
      ) : (
        <>
          <p>A coach invited you to Practika. Create an account with the invite, or sign in if you have one.</p>
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
