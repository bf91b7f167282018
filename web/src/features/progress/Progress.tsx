import { useQuery } from "@tanstack/react-query";
import { BarChart } from "../../components/BarChart";
import { Empty, ErrorNote, Loading } from "../../components/ui";
import { progressQuery } from "./api";
import { usePageTitle } from "../../lib/title";

export function Progress() {
  usePageTitle("Progress");
  const progress = useQuery(progressQuery());
  if (progress.isLoading) return <Loading what="Loading your progress" />;
  if (!progress.data) return <ErrorNote error={progress.error} retry={() => progress.refetch()} />;
  const p = progress.data;
  const weeks = p.minutes_per_week.map((w) => ({
    label: new Date(w.week_start).toLocaleDateString(undefined, { month: "numeric", day: "numeric" }),
    value: w.minutes,
  }));
  const attempts = p.attempts_per_exercise.map((a) => ({ label: a.title.slice(0, 12), value: a.attempts }));
  return (
    <section aria-labelledby="progress-title">
      <h1 id="progress-title">Progress</h1>
      <div className="stats">
        <div className="stat">
          <strong data-testid="streak">{p.current_streak_days}</strong>
          <span>day streak</span>
        </div>
        <div className="stat">
          <strong>{p.longest_streak_days}</strong>
          <span>longest streak</span>
        </div>
        <div className="stat">
          <strong data-testid="sessions">{p.sessions_completed}</strong>
          <span>sessions</span>
        </div>
        <div className="stat">
          <strong>{p.practice_days}</strong>
          <span>days practised</span>
        </div>
        <div className="stat">
          <strong>{p.feedback_received}</strong>
          <span>pieces of feedback</span>
        </div>
      </div>
      <div className="columns">
        <div className="card">
          <BarChart bars={weeks} title="Minutes practised per week" unit="min" />
        </div>
        <div className="card">
          {attempts.length ? <BarChart bars={attempts} title="Attempts per exercise" unit="attempts" /> : <Empty>No attempts yet.</Empty>}
        </div>
      </div>
    </section>
  );
}
