// Names of the coach's learners by id (threads carry only the learner's id).
import { useQuery } from "@tanstack/react-query";
import { api, call } from "../../api/client";

export function useLinks(role: "coach" | "learner", enabled = true) {
  return useQuery({
    queryKey: ["links", role],
    queryFn: () => call(api.GET("/api/v1/links", { params: { query: { role, limit: 100 } } })),
    enabled,
    staleTime: 60_000,
  });
}

export function useLearnerNames(enabled = true): Map<string, string> {
  const links = useLinks("coach", enabled);
  return new Map(links.data?.items.map((l) => [l.learner.id, l.learner.display_name]) ?? []);
}
