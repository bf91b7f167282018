// Titles of the exercises in a playlist (items carry only ids); shares the exercise cache.
import { useQueries } from "@tanstack/react-query";
import { api, call } from "../../api/client";

export function useExerciseTitles(ids: string[]): Map<string, string> {
  const unique = [...new Set(ids)];
  const results = useQueries({
    queries: unique.map((id) => ({
      queryKey: ["exercise", id],
      queryFn: () => call(api.GET("/api/v1/exercises/{exercise_id}", { params: { path: { exercise_id: id } } })),
      staleTime: 5 * 60_000,
    })),
  });
  return new Map(unique.map((id, i) => [id, results[i]?.data?.title ?? "Exercise"]));
}
