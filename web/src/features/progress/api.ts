// The learner's progress: key and fetcher defined once; a finished session invalidates it.
import { queryOptions } from "@tanstack/react-query";
import { api, call } from "../../api/client";

export const progressKeys = { all: ["progress"] as const };

export const progressQuery = (weeks = 12) =>
  queryOptions({
    queryKey: [...progressKeys.all, weeks] as const,
    queryFn: () => call(api.GET("/api/v1/progress", { params: { query: { weeks } } })),
  });

/** Recent sessions, for the reps counted from analysed videos (their consistency). */
export const countedRepsQuery = () =>
  queryOptions({
    queryKey: [...progressKeys.all, "counted-reps"] as const,
    queryFn: () => call(api.GET("/api/v1/sessions", { params: { query: { limit: 50 } } })),
  });
