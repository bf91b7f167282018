// Download a thread's feedback (or one video's) as CSV, JSON or WebVTT captions, as the
// service writes it: the same timecodes, kinds, text and measuring tools as on screen.
import { useState } from "react";
import { api, call } from "../../../api/client";
import { ErrorNote } from "../../../components/ui";

type Format = "csv" | "json" | "vtt";

export interface VideoChoice {
  id: string;
  label: string;
}

async function download(threadId: string, fmt: Format, videoId: string | null): Promise<void> {
  const text = await call(
    api.GET("/api/v1/threads/{thread_id}/feedback/{fmt}", {
      params: { path: { thread_id: threadId, fmt }, query: videoId ? { video_id: videoId } : {} },
      parseAs: "text",
    }),
  );
  const type = { csv: "text/csv", json: "application/json", vtt: "text/vtt" }[fmt];
  const url = URL.createObjectURL(new Blob([text as unknown as string], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = `feedback${videoId ? "-" + videoId.slice(0, 8) : ""}.${fmt}`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ExportFeedback({ threadId, videos }: { threadId: string; videos: VideoChoice[] }) {
  const [videoId, setVideoId] = useState<string>("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const get = async (fmt: Format) => {
    setBusy(true);
    setError(null);
    try {
      await download(threadId, fmt, videoId || null);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="export-feedback row wrap" role="group" aria-label="Export feedback">
      <span className="muted small">Export feedback of</span>
      <select aria-label="Feedback to export" value={videoId} onChange={(e) => setVideoId(e.target.value)}>
        <option value="">the whole thread</option>
        {videos.map((v) => (
          <option key={v.id} value={v.id}>
            {v.label}
          </option>
        ))}
      </select>
      <button type="button" className="secondary" disabled={busy} onClick={() => void get("csv")}>
        CSV
      </button>
      <button type="button" className="secondary" disabled={busy} onClick={() => void get("json")}>
        JSON
      </button>
      <button type="button" className="secondary" disabled={busy || !videoId} title={videoId ? undefined : "Captions belong to one video: pick it"} onClick={() => void get("vtt")}>
        Captions (WebVTT)
      </button>
      <ErrorNote error={error} />
    </div>
  );
}

/** The videos of a thread one may export alone: its reference, then its attempts. */
export function exportChoices(
  thread: { exercise: { reference_video_id?: string | null } },
  attempts: { video: { id: string }; recorded_at?: string | null; created_at: string }[],
): VideoChoice[] {
  const ref = thread.exercise.reference_video_id;
  return [
    ...(ref ? [{ id: ref, label: "the reference video" }] : []),
    ...attempts.map((a) => ({ id: a.video.id, label: `the attempt of ${new Date(a.recorded_at ?? a.created_at).toLocaleString()}` })),
  ];
}
