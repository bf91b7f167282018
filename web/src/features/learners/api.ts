// A coach's page of one learner: its query-option factory (key + fetcher, once).
import { queryOptions } from "@tanstack/react-query";
import { api, call } from "../../api/client";

export const learnerKeys = {
  one: (learnerId: string) => ["learner", learnerId] as const,
};

export const learnerQuery = (learnerId: string) =>
  queryOptions({
    queryKey: learnerKeys.one(learnerId),
    queryFn: () => call(api.GET("/api/v1/learners/{learner_id}", { params: { path: { learner_id: learnerId } } })),
    refetchInterval: 60_000,
  });
