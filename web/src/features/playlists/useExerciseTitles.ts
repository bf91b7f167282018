// Titles of the exercises in a playlist (items carry only ids); shares the exercise cache.
import { useQueries } from "@tanstack/react-query";
import { exerciseQuery } from "../exercise/api";

export function useExerciseTitles(ids: string[]): Map<string, string> {
  const unique = [...new Set(ids)];
  const results = useQueries({
    queries: unique.map((id) => ({ ...exerciseQuery(id), staleTime: 5 * 60_000 })),
  });
  return new Map(unique.map((id, i) => [id, results[i]?.data?.title ?? "Exercise"]));
}
