// The coach's desk: threads awaiting feedback first, then learners and invites.
import { Link } from "react-router";
import { Inbox } from "../threads/Inbox";
import { EmailInvites } from "../invites/EmailInvites";
import { ThreadList } from "../threads/ThreadList";
import { Invites } from "./Invites";
import { Learners } from "./Learners";
import { usePageTitle } from "../../lib/title";

export function Coach() {
  usePageTitle("Coach");
  return (
    <section aria-labelledby="coach-title">
      <div className="row spread">
        <h1 id="coach-title">Coaching</h1>
        <Link className="button" to="/exercises/new">
          New exercise
        </Link>
      </div>
      <div className="columns">
        <div className="card">
          <h2>Inbox: waiting for your feedback</h2>
          <Inbox />
          <h3>All threads</h3>
          <ThreadList role="coach" empty="No learner practises your exercises yet: invite one." />
        </div>
        <div className="card">
          <Invites />
          <EmailInvites />
          <Learners />
        </div>
      </div>
    </section>
  );
}
