// One exercise: its query (key + fetcher, defined once) and the writes that change it.
import { queryOptions } from "@tanstack/react-query";
import { api, call, type Schemas } from "../../api/client";

export type ExerciseBody = Schemas["ExerciseIn"];

export const exerciseKeys = {
  one: (id: string) => ["exercise", id] as const,
};

export const exerciseQuery = (id: string) =>
  queryOptions({
    queryKey: exerciseKeys.one(id),
    queryFn: () => call(api.GET("/api/v1/exercises/{exercise_id}", { params: { path: { exercise_id: id } } })),
  });

export const createExercise = (body: ExerciseBody) => call(api.POST("/api/v1/exercises", { body }));

export const updateExercise = (id: string, body: Schemas["ExerciseUpdateIn"]) =>
  call(api.PATCH("/api/v1/exercises/{exercise_id}", { params: { path: { exercise_id: id } }, body }));

/** Show a draft to its audience; the service refuses (409) without a ready reference video. */
export const publishExercise = (id: string) =>
  call(api.POST("/api/v1/exercises/{exercise_id}/publish", { params: { path: { exercise_id: id } } }));
