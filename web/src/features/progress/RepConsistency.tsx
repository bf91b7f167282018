// How consistent the learner's counted reps are: for each session item whose reps were
// counted from an analysed video, how much rep duration (tempo) and range of motion
// varied — lower is steadier. Shown only once there is such an item.
import { useQuery } from "@tanstack/react-query";
import { BarChart } from "../../components/BarChart";
import { countedRepsQuery } from "./api";

export function RepConsistency() {
  const sessions = useQuery(countedRepsQuery());
  const items = (sessions.data?.items ?? [])
    .flatMap((s) => s.items)
    .filter((i) => i.rep_tempo_cv !== null)
    .sort((a, b) => a.completed_at.localeCompare(b.completed_at))
    .slice(-12);
  if (items.length === 0) return null;
  const label = (at: string) => new Date(at).toLocaleDateString(undefined, { month: "numeric", day: "numeric" });
  return (
    <section className="card" aria-labelledby="reps-title">
      <h2 id="reps-title">Rep consistency</h2>
      <p className="muted small">
        Counted from your analysed videos: how much each set's reps varied. Lower is steadier.
      </p>
      <BarChart
        title="Tempo variation per set"
        unit="%"
        bars={items.map((i) => ({ label: label(i.completed_at), value: Math.round((i.rep_tempo_cv ?? 0) * 100) }))}
      />
      <BarChart
        title="Range-of-motion variation per set"
        unit="%"
        bars={items.map((i) => ({ label: label(i.completed_at), value: Math.round((i.rep_range_cv ?? 0) * 100) }))}
      />
    </section>
  );
}
