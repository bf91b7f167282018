// Pick a file or record with the camera, then upload it with progress, resume and cancel.
import { useEffect, useRef, useState } from "react";
import type { Video } from "../api/client";
import { messageOf } from "../api/errors";
import { formatBytes, formatDuration } from "../lib/time";
import { fileKey, Upload, type UploadProgress } from "../lib/upload";

export function UploadPanel({ onUploaded, label = "Upload a video" }: { onUploaded: (video: Video) => void; label?: string }) {
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [resumable, setResumable] = useState(false);
  const current = useRef<Upload | null>(null);
  const [recording, setRecording] = useState(false);

  const start = async (file: File) => {
    setError(null);
    setResumable(!!localStorage.getItem(fileKey(file)));
    const upload = new Upload(file, { onProgress: setProgress });
    current.current = upload;
    try {
      const video = await upload.run();
      setProgress(null);
      onUploaded(video);
    } catch (e) {
      if (current.current === upload) setError(`${messageOf(e)} Choose the same file again to resume where it stopped.`);
    } finally {
      if (current.current === upload) current.current = null;
    }
  };

  const cancel = async () => {
    const upload = current.current;
    current.current = null;
    setProgress(null);
    await upload?.cancel();
  };

  const pct = progress && progress.total > 0 ? Math.floor((progress.sent / progress.total) * 100) : 0;
  return (
    <div className="upload">
      {!progress && !recording && (
        <div className="row">
          <label className="button">
            {label}
            <input
              type="file"
              accept="video/*"
              hidden
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = "";
                if (file) void start(file);
              }}
            />
          </label>
          {"MediaRecorder" in window && (
            <button type="button" className="secondary" onClick={() => setRecording(true)}>
              Record with camera
            </button>
          )}
        </div>
      )}
      {recording && (
        <Recorder
          onDone={(file) => {
            setRecording(false);
            if (file) void start(file);
          }}
        />
      )}
      {progress && (
        <div className="progress-block">
          <progress max={100} value={pct} aria-label="Upload progress" />
          <div className="row spread muted">
            <span>
              {pct}% · {formatBytes(progress.sent)} of {formatBytes(progress.total)}
              {resumable ? " (resumed)" : ""}
            </span>
            <span>
              {progress.bytesPerSecond > 0 && `${formatBytes(progress.bytesPerSecond)}/s`}
              {progress.secondsLeft !== null && ` · ${formatDuration(progress.secondsLeft)} left`}
            </span>
          </div>
          <button type="button" className="secondary" onClick={cancel}>
            Cancel upload
          </button>
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function Recorder({ onDone }: { onDone: (file: File | null) => void }) {
  const preview = useRef<HTMLVideoElement>(null);
  const recorder = useRef<MediaRecorder | null>(null);
  const chunks = useRef<Blob[]>([]);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState(false);

  useEffect(() => {
    let active: MediaStream | null = null;
    navigator.mediaDevices
      ?.getUserMedia({ video: { facingMode: "environment" }, audio: true })
      .then((s) => {
        active = s;
        setStream(s);
        if (preview.current) preview.current.srcObject = s;
      })
      .catch(() => setError("The camera is not available. Allow camera access, or upload a file instead."));
    return () => active?.getTracks().forEach((t) => t.stop());
  }, []);

  const begin = () => {
    if (!stream) return;
    chunks.current = [];
    const type = ["video/webm;codecs=vp9,opus", "video/webm", "video/mp4"].find((t) => MediaRecorder.isTypeSupported(t));
    const rec = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
    rec.ondataavailable = (e) => e.data.size && chunks.current.push(e.data);
    rec.onstop = () => {
      const mime = (rec.mimeType || "video/webm").split(";")[0];
      const ext = mime.includes("mp4") ? "mp4" : "webm";
      const file = new File(chunks.current, `attempt-${new Date().toISOString().slice(0, 19)}.${ext}`, { type: mime });
      stream.getTracks().forEach((t) => t.stop());
      onDone(file);
    };
    rec.start(1000);
    recorder.current = rec;
    setLive(true);
  };

  return (
    <div className="recorder">
      {error ? <p className="error">{error}</p> : <video ref={preview} autoPlay muted playsInline className="preview" />}
      <div className="row">
        {!live ? (
          <button type="button" onClick={begin} disabled={!stream}>
            ● Start recording
          </button>
        ) : (
          <button type="button" onClick={() => recorder.current?.stop()}>
            ■ Stop and upload
          </button>
        )}
        <button
          type="button"
          className="secondary"
          onClick={() => {
            stream?.getTracks().forEach((t) => t.stop());
            onDone(null);
          }}
        >
          Cancel
        </button>
      </div>
    </div>
  );
}
