// Ask the worker for an MP4 (a voice-over review, or the attempt with its feedback burnt
// in), wait for it, and offer the signed download link.
import { useEffect, useState } from "react";
import { api, call, type Schemas } from "../../../api/client";
import { ErrorNote } from "../../../components/ui";

type Export = Schemas["ExportOut"];

export function ExportLink({ target, label }: { target: { commentId: string } | { attemptId: string }; label: string }) {
  const [job, setJob] = useState<Export | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!job || job.status === "ready" || job.status === "failed") return;
    const timer = window.setTimeout(async () => {
      try {
        setJob(await call(api.GET("/api/v1/exports/{export_id}", { params: { path: { export_id: job.id } } })));
      } catch (e) {
        setError(e);
      }
    }, 1500);
    return () => window.clearTimeout(timer);
  }, [job]);

  const ask = async () => {
    setError(null);
    try {
      setJob(
        "commentId" in target
          ? await call(api.POST("/api/v1/comments/{comment_id}/export", { params: { path: { comment_id: target.commentId } } }))
          : await call(api.POST("/api/v1/attempts/{attempt_id}/export", { params: { path: { attempt_id: target.attemptId } } })),
      );
    } catch (e) {
      setError(e);
    }
  };

  return (
    <span className="export-link">
      {job?.status === "ready" && job.download_url ? (
        <a href={job.download_url} download className="button small">
          Download {label}
        </a>
      ) : job && job.status !== "failed" ? (
        <span className="muted small" role="status">
          Rendering {label}…
        </span>
      ) : (
        <button type="button" className="small secondary" onClick={() => void ask()}>
          {label}
        </button>
      )}
      {job?.status === "failed" && <span className="error small"> {job.failure_reason}</span>}
      <ErrorNote error={error} />
    </span>
  );
}
