// Small shared pieces: loading and empty states, errors in words, status badges.
import type { ReactNode } from "react";
import { messageOf } from "../api/errors";
import type { Video } from "../api/client";
import { formatDuration } from "../lib/time";

export function Loading({ what = "Loading" }: { what?: string }) {
  return (
    <p className="muted" role="status" aria-live="polite">
      {what}…
    </p>
  );
}

export function ErrorNote({ error, retry }: { error: unknown; retry?: () => void }) {
  if (!error) return null;
  return (
    <div className="error" role="alert">
      {messageOf(error)}
      {retry && (
        <button type="button" className="link" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

const STATUS_TEXT: Record<Video["status"], string> = {
  uploading: "Uploading",
  uploaded: "Waiting to be processed",
  processing: "Processing",
  ready: "Ready",
  failed: "Failed",
};

/** While processing: "Processing 42% · about 1 min left" (the worker reports its progress). */
export function VideoStatus({ video }: { video: Video }) {
  const processing = video.status === "processing";
  const pct = processing && video.processing_progress != null ? Math.floor(video.processing_progress * 100) : null;
  const eta = processing ? video.processing_eta_seconds : null;
  return (
    <span className={`badge badge-${video.status}`} title={video.failure_reason ?? undefined} data-testid="video-status">
      {STATUS_TEXT[video.status]}
      {pct !== null && ` ${pct}%`}
      {eta != null && eta > 0 && ` · about ${formatDuration(eta)} left`}
      {video.status === "failed" && video.failure_reason ? `: ${video.failure_reason}` : ""}
    </span>
  );
}

export function Field({ label, children, hint, error }: { label: string; children: ReactNode; hint?: string; error?: string }) {
  return (
    <label className={error ? "field invalid" : "field"}>
      <span>{label}</span>
      {children}
      {hint && <small className="muted">{hint}</small>}
      {error && (
        <small className="field-error" role="alert">
          {error}
        </small>
      )}
    </label>
  );
}
