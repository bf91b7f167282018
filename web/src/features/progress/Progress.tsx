import { useQuery } from "@tanstack/react-query";
import { api, call } from "../../api/client";
import { ErrorNote, Loading } from "../../components/ui";
import { ProgressSummary } from "./ProgressSummary";

export function Progress() {
  const progress = useQuery({ queryKey: ["progress"], queryFn: () => call(api.GET("/api/v1/progress", { params: { query: { weeks: 12 } } })) });
  if (progress.isLoading) return <Loading what="Loading your progress" />;
  if (!progress.data) return <ErrorNote error={progress.error} retry={() => progress.refetch()} />;
  return (
    <section aria-labelledby="progress-title">
      <h1 id="progress-title">Progress</h1>
      <ProgressSummary progress={progress.data} />
    </section>
  );
}
