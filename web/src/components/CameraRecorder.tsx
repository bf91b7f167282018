// Record an attempt with the device's camera (MediaRecorder); hands back a File to upload.
import { useEffect, useRef, useState } from "react";
import "./CameraRecorder.css";

/** Whether this browser can record at all (older Safari, some in-app browsers cannot). */
export const canRecord = typeof window !== "undefined" && "MediaRecorder" in window && !!navigator.mediaDevices;

export function CameraRecorder({ onDone }: { onDone: (file: File | null) => void }) {
  const preview = useRef<HTMLVideoElement>(null);
  const recorder = useRef<MediaRecorder | null>(null);
  const chunks = useRef<Blob[]>([]);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const [elapsed, setElapsed] = useState(0);

  // The time recorded so far, shown while recording (a person wants to see it is rolling).
  useEffect(() => {
    if (!live) return;
    const started = Date.now();
    const timer = window.setInterval(() => setElapsed(Math.floor((Date.now() - started) / 1000)), 250);
    return () => window.clearInterval(timer);
  }, [live]);

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
      {live && (
        <p className="recording-time" role="timer" aria-label="Recorded so far" data-testid="recording-time">
          <span className="rec-dot" aria-hidden /> {Math.floor(elapsed / 60)}:{String(elapsed % 60).padStart(2, "0")}
        </p>
      )}
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
