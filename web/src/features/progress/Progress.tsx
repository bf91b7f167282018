import { useQuery } from "@tanstack/react-query";
import { ErrorNote, Loading } from "../../components/ui";
import { usePageTitle } from "../../lib/title";
import { progressQuery } from "./api";
import { ProgressSummary } from "./ProgressSummary";
import { RepConsistency } from "./RepConsistency";

export function Progress() {
  usePageTitle("Progress");
  const progress = useQuery(progressQuery());
  if (progress.isLoading) return <Loading what="Loading your progress" />;
  if (!progress.data) return <ErrorNote error={progress.error} retry={() => progress.refetch()} />;
  return (
    <section aria-labelledby="progress-title">
      <h1 id="progress-title">Progress</h1>
      <ProgressSummary progress={progress.data} />
      <RepConsistency />
    </section>
  );
}
