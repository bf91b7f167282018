// Pick a file or record with the camera, then upload it with progress, resume and cancel.
import { useRef, useState } from "react";
import type { Video } from "../api/client";
import { messageOf } from "../api/errors";
import { browserPendingUploads, type PendingUpload, type PendingUploads } from "../lib/pendingUploads";
import { formatBytes, formatDuration, relativeTime } from "../lib/time";
import { discardUpload, Upload, type UploadOptions, type UploadProgress } from "../lib/upload";
import { CameraRecorder, canRecord } from "./CameraRecorder";

interface Props {
  onUploaded: (video: Video) => void;
  /** Where this panel sits ("thread:<id>", "exercise:new"): interrupted uploads are offered here again. */
  scope: string;
  label?: string;
  /** For tests: the upload machinery's collaborators. */
  uploadOptions?: Pick<UploadOptions, "remote" | "putPart" | "retries">;
  pending?: PendingUploads;
}

export function UploadPanel({ onUploaded, scope, label = "Upload a video", uploadOptions, pending: store }: Props) {
  const pending = useRef(store ?? browserPendingUploads()).current;
  const [interrupted, setInterrupted] = useState<PendingUpload[]>(() => pending.inScope(scope));
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [resuming, setResuming] = useState(false);
  const [failed, setFailed] = useState<{ file: File; message: string } | null>(null);
  const [recording, setRecording] = useState(false);
  const [busy, setBusy] = useState(false);
  const current = useRef<Upload | null>(null);
  const refresh = () => setInterrupted(pending.inScope(scope));

  const start = async (file: File) => {
    setFailed(null);
    setResuming(!!pending.find(file));
    const upload = new Upload(file, { ...uploadOptions, pending, scope, onProgress: setProgress });
    current.current = upload;
    setBusy(true);
    try {
      const video = await upload.run();
      onUploaded(video);
    } catch (e) {
      // A cancel already cleaned up; anything else can be resumed with the same file.
      if (current.current === upload) setFailed({ file, message: messageOf(e) });
    } finally {
      if (current.current === upload) current.current = null;
      setBusy(current.current !== null);
      setProgress(null);
      refresh();
    }
  };

  const cancel = async () => {
    const upload = current.current;
    current.current = null;
    setBusy(false);
    setProgress(null);
    await upload?.cancel();
    refresh();
  };

  const pct = progress && progress.total > 0 ? Math.floor((progress.sent / progress.total) * 100) : 0;
  // The entry of the upload that just failed is shown with its own Resume button, not twice.
  const offered = interrupted.filter((p) => !failed || p.name !== failed.file.name || p.size !== failed.file.size);
  return (
    <div className="upload">
      {!busy && offered.map((p) => (
        <div key={p.videoId} className="notice" role="status">
          <p>
            “{p.name}” ({formatBytes(p.size)}) did not finish uploading ({relativeTime(p.startedAt)}). Choose the same
            file again to continue where it stopped.
          </p>
          <button
            type="button"
            className="link"
            onClick={async () => {
              await discardUpload(p.videoId, pending).catch(() => undefined);
              refresh();
            }}
          >
            Discard it
          </button>
        </div>
      ))}
      {!busy && !recording && (
        <div className="row wrap">
          <label className="button">
            {offered.length ? "Choose the file" : label}
            <input
              type="file"
              accept="video/*"
              hidden
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = ""; // choosing the same file again must fire a change
                if (file) void start(file);
              }}
            />
          </label>
          {canRecord && (
            <button type="button" className="secondary" onClick={() => setRecording(true)}>
              Record with camera
            </button>
          )}
        </div>
      )}
      {recording && (
        <CameraRecorder
          onDone={(file) => {
            setRecording(false);
            if (file) void start(file);
          }}
        />
      )}
      {progress && (
        <div className="progress-block">
          <progress max={100} value={pct} aria-label="Upload progress" />
          <div className="row spread muted wrap">
            <span data-testid="upload-sent">
              {pct}% · {formatBytes(progress.sent)} of {formatBytes(progress.total)}
              {resuming ? " (resumed)" : ""}
            </span>
            <span>
              {progress.bytesPerSecond > 0 && `${formatBytes(progress.bytesPerSecond)}/s`}
              {progress.secondsLeft !== null && progress.bytesPerSecond > 0 && ` · ${formatDuration(progress.secondsLeft)} left`}
            </span>
          </div>
          <button type="button" className="secondary" onClick={cancel}>
            Cancel upload
          </button>
        </div>
      )}
      {failed && !busy && (
        <div className="error" role="alert">
          <p>The upload of “{failed.file.name}” stopped: {failed.message}</p>
          <div className="row wrap">
            <button type="button" onClick={() => void start(failed.file)}>
              Resume upload
            </button>
            <button
              type="button"
              className="secondary"
              onClick={async () => {
                const entry = pending.find(failed.file);
                setFailed(null);
                if (entry) await discardUpload(entry.videoId, pending).catch(() => undefined);
                refresh();
              }}
            >
              Give up
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
