// Names of the coach's learners by id (threads carry only the learner's id).
import { useQuery } from "@tanstack/react-query";
import { linksQuery } from "./api";

export function useLinks(role: "coach" | "learner", enabled = true) {
  return useQuery({ ...linksQuery(role), enabled });
}

export function useLearnerNames(enabled = true): Map<string, string> {
  const links = useLinks("coach", enabled);
  return new Map(links.data?.items.map((l) => [l.learner.id, l.learner.display_name]) ?? []);
}
