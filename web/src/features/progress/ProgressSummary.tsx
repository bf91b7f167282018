// Streaks, counts and the two charts of a progress summary: the learner's own page and
// their coach's view of them show the same picture.
import type { Progress } from "../../api/client";
import { BarChart } from "../../components/BarChart";
import { Empty } from "../../components/ui";

export function ProgressSummary({ progress: p }: { progress: Progress }) {
  const weeks = p.minutes_per_week.map((w) => ({
    label: new Date(w.week_start).toLocaleDateString(undefined, { month: "numeric", day: "numeric" }),
    value: w.minutes,
  }));
  const attempts = p.attempts_per_exercise.map((a) => ({ label: a.title.slice(0, 12), value: a.attempts }));
  return (
    <>
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
    </>
  );
}
