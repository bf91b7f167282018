// A clip for a comment or reply: recorded here (microphone or camera) or picked from the
// device, uploaded and processed like an attempt, then attached to the comment.
import { useEffect, useRef, useState } from "react";
import type { Video } from "../../../api/client";
import { usePlayback, useVideo } from "../../../lib/media";
import { formatMs } from "../../../lib/time";
import { recordingFile, recordingType, uploadClip } from "./clips";

type Phase = "idle" | "recording" | "uploading" | "ready" | "error";

export function ClipReply({ clip, onClip }: { clip: Video | null; onClip: (clip: Video | null) => void }) {
  const [phase, setPhase] = useState<Phase>(clip ? "ready" : "idle");
  const [error, setError] = useState<string | null>(null);
  const recorder = useRef<MediaRecorder | null>(null);
  const preview = useRef<HTMLVideoElement>(null);
  const live = useRef<MediaStream | null>(null);
  // The camera's picture while recording a video reply (the element exists only then).
  useEffect(() => {
    if (phase === "recording" && preview.current && live.current?.getVideoTracks().length) preview.current.srcObject = live.current;
  }, [phase]);

  const send = async (file: File) => {
    setPhase("uploading");
    try {
      onClip(await uploadClip(file));
      setPhase("ready");
    } catch (e) {
      setError(e instanceof Error ? e.message : "The clip could not be uploaded.");
      setPhase("error");
    }
  };

  const record = async (kind: "audio" | "video") => {
    setError(null);
    try {
      const stream = await navigator.mediaDevices.getUserMedia(kind === "audio" ? { audio: true } : { audio: true, video: true });
      const type = recordingType(kind);
      const rec = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
      const chunks: Blob[] = [];
      rec.ondataavailable = (e) => e.data.size && chunks.push(e.data);
      rec.onstop = () => {
        stream.getTracks().forEach((t) => t.stop());
        live.current = null;
        void send(recordingFile(chunks, rec, `reply-${kind}`));
      };
      live.current = stream;
      rec.start(1000);
      recorder.current = rec;
      setPhase("recording");
    } catch {
      setError(`The ${kind === "audio" ? "microphone" : "camera"} is not available; allow access, or upload a file.`);
      setPhase("error");
    }
  };

  return (
    <div className="clip-reply" aria-label="Clip for this comment">
      {phase === "recording" ? (
        <>
          <video ref={preview} autoPlay muted playsInline className="clip-preview" />
          <button type="button" className="small danger" onClick={() => recorder.current?.stop()}>
            Stop clip
          </button>
        </>
      ) : phase === "uploading" ? (
        <span className="muted small" role="status">
          Uploading the clip…
        </span>
      ) : clip ? (
        <span className="small" data-testid="attached-clip">
          Clip attached ({formatMs(clip.duration_ms ?? 0).split(".")[0]}, {clip.video_codec ? "video" : "audio"}){" "}
          <button type="button" className="link small" onClick={() => (onClip(null), setPhase("idle"))}>
            Remove
          </button>
        </span>
      ) : (
        <span className="row wrap">
          <button type="button" className="small secondary" onClick={() => void record("audio")}>
            Record voice reply
          </button>
          <button type="button" className="small secondary" onClick={() => void record("video")}>
            Record video reply
          </button>
          <label className="small link">
            Upload a clip
            <input
              type="file"
              accept="video/*,audio/*"
              hidden
              onChange={(e) => e.target.files?.[0] && void send(e.target.files[0])}
            />
          </label>
        </span>
      )}
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** A comment's clip, loaded when asked for. */
export function CommentClip({ videoId }: { videoId: string }) {
  const [open, setOpen] = useState(false);
  return open ? <ClipPlayer videoId={videoId} /> : (
    <button type="button" className="link small" onClick={() => setOpen(true)}>
      Play clip
    </button>
  );
}

function ClipPlayer({ videoId }: { videoId: string }) {
  const video = useVideo(videoId);
  const playback = usePlayback(videoId, video.data?.status === "ready");
  if (!playback.data || !video.data) return <span className="muted small">Loading the clip…</span>;
  return video.data.video_codec ? (
    <video data-testid="comment-clip" className="comment-clip" src={playback.data.rendition_url} controls playsInline autoPlay />
  ) : (
    <audio data-testid="comment-clip" src={playback.data.rendition_url} controls autoPlay />
  );
}
