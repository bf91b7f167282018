import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { useNavigate, useParams } from "react-router";
import { type Video } from "../../api/client";
import { allOnFields, fieldErrors } from "../../api/fieldErrors";
import { categoryLabel, difficultyLabel } from "../../lib/labels";
import { UploadPanel } from "../../components/UploadPanel";
import { ErrorNote, Field, Loading, VideoStatus } from "../../components/ui";
import { useVideo } from "../../lib/media";
import { categoriesQuery, libraryKeys } from "../library/api";
import { createExercise, exerciseKeys, exerciseQuery, updateExercise } from "./api";
import { usePageTitle } from "../../lib/title";

type Difficulty = "beginner" | "intermediate" | "advanced";

const LABELS = {
  title: "Title",
  description: "Description",
  category: "Category",
  difficulty: "Difficulty",
  visibility: "Who can see it",
  tags: "Tags",
  reference_video_id: "Reference video",
};
type Visibility = "public" | "link" | "private";

export function ExerciseForm() {
  const { exerciseId } = useParams();
  usePageTitle(exerciseId ? "Edit exercise" : "New exercise");
  const navigate = useNavigate();
  const client = useQueryClient();
  const existing = useQuery({ ...exerciseQuery(exerciseId ?? ""), enabled: !!exerciseId });
  const categories = useQuery(categoriesQuery());
  const [form, setForm] = useState({
    title: "",
    description: "",
    category: "",
    difficulty: "beginner" as Difficulty,
    visibility: "public" as Visibility,
    tags: "",
    reference_video_id: null as string | null,
  });
  const [uploaded, setUploaded] = useState<Video | null>(null);
  const video = useVideo(form.reference_video_id);
  useEffect(() => {
    const ex = existing.data;
    if (ex)
      setForm({
        title: ex.title,
        description: ex.description,
        category: ex.category,
        difficulty: ex.difficulty,
        visibility: ex.visibility,
        tags: ex.tags.join(", "),
        reference_video_id: ex.reference_video_id,
      });
  }, [existing.data]);
  const save = useMutation({
    mutationFn: async () => {
      const body = {
        title: form.title,
        description: form.description,
        category: form.category || categories.data?.[0] || "strength",
        difficulty: form.difficulty,
        visibility: form.visibility,
        tags: form.tags.split(",").map((t) => t.trim().toLowerCase()).filter(Boolean),
        reference_video_id: form.reference_video_id,
      };
      return exerciseId ? updateExercise(exerciseId, body) : createExercise(body);
    },
    onSuccess: (ex) => {
      void client.invalidateQueries({ queryKey: libraryKeys.all });
      client.setQueryData(exerciseKeys.one(ex.id), ex);
      navigate(`/exercises/${ex.id}`);
    },
  });
  if (exerciseId && existing.isLoading) return <Loading />;
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const current = video.data ?? uploaded;
  const errors = fieldErrors(save.error, LABELS);
  return (
    <form className="card" onSubmit={submit} aria-labelledby="exercise-form-title">
      <h1 id="exercise-form-title">{exerciseId ? "Edit exercise" : "New exercise"}</h1>
      <Field label="Title" error={errors.title}>
        <input required maxLength={200} value={form.title} onChange={set("title")} />
      </Field>
      <Field label="Description" error={errors.description} hint="Cues, common faults, what good looks like. Markdown: **bold**, *italic*, - lists, ## headings.">
        <textarea rows={5} value={form.description} onChange={set("description")} />
      </Field>
      <div className="row wrap">
        <Field label="Category" error={errors.category}>
          <select value={form.category} onChange={set("category")} required>
            <option value="">Choose…</option>
            {categories.data?.map((c) => (
              <option key={c} value={c}>
                {categoryLabel(c)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Difficulty" error={errors.difficulty}>
          <select value={form.difficulty} onChange={set("difficulty")}>
            {(["beginner", "intermediate", "advanced"] as const).map((d) => (
              <option key={d} value={d}>
                {difficultyLabel(d)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Who can see it">
          <select value={form.visibility} onChange={set("visibility")}>
            <option value="public">Everyone</option>
            <option value="link">People with the link, and my learners</option>
            <option value="private">Only my learners</option>
          </select>
        </Field>
      </div>
      <Field label="Tags" error={errors.tags} hint="Comma-separated, e.g. squat, mobility">
        <input value={form.tags} onChange={set("tags")} />
      </Field>
      <fieldset>
        <legend>Reference video</legend>
        {current && <VideoStatus video={current} />}
        {errors.reference_video_id && (
          <small className="field-error" role="alert">
            {errors.reference_video_id}
          </small>
        )}
        <UploadPanel
          scope={`exercise:${exerciseId ?? "new"}`}
          label={current ? "Replace the video" : "Upload the reference video"}
          onUploaded={(v) => {
            setUploaded(v);
            setForm((f) => ({ ...f, reference_video_id: v.id }));
          }}
        />
      </fieldset>
      <ErrorNote error={allOnFields(save.error, LABELS) ? null : save.error} />
      {!exerciseId && <p className="muted small">New exercises are drafts that only you see, until you publish them.</p>}
      <button type="submit" disabled={save.isPending}>
        {save.isPending ? "Saving…" : "Save exercise"}
      </button>
    </form>
  );
}
