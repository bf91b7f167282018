// A comment's clip (a voice-over's voice, a video or audio reply): uploaded over the
// same resumable protocol as attempts, with purpose `clip`, then processed like any
// upload; the comment takes it once it is ready.
import { api, call, type Video } from "../../../api/client";
import { ApiError } from "../../../api/errors";
import { httpRemote, Upload, type Remote, type UploadProgress } from "../../../lib/upload";

const clipRemote: Remote = {
  ...httpRemote,
  start: (file) =>
    call(
      api.POST("/api/v1/uploads", {
        body: {
          filename: file.name || "clip.webm",
          content_type: file.type || "video/webm",
          size_bytes: file.size,
          purpose: "clip",
        },
      }),
    ),
};

/** Upload `file` as a clip and wait until it is processed; the ready video. */
export async function uploadClip(
  file: File,
  onProgress?: (p: UploadProgress) => void,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<Video> {
  let video = await new Upload(file, { remote: clipRemote, onProgress }).run();
  for (let i = 0; i < 600 && video.status !== "ready"; i++) {
    if (video.status === "failed") throw new ApiError(422, "clip_failed", video.failure_reason ?? "The clip could not be processed.");
    await sleep(1000);
    video = await call(api.GET("/api/v1/videos/{video_id}", { params: { path: { video_id: video.id } } }));
  }
  if (video.status !== "ready") throw new ApiError(0, "clip_slow", "The clip is taking long to process; try again later.");
  return video;
}

/** The MIME type this browser records `kind` in, WebM where it can. */
export function recordingType(kind: "audio" | "video"): string | undefined {
  const wanted = kind === "audio" ? ["audio/webm;codecs=opus", "audio/webm", "audio/mp4"] : ["video/webm;codecs=vp9,opus", "video/webm", "video/mp4"];
  return wanted.find((t) => typeof MediaRecorder !== "undefined" && MediaRecorder.isTypeSupported(t));
}

/** A finished recording as a File named after what it holds. */
export function recordingFile(chunks: Blob[], recorder: MediaRecorder, name: string): File {
  const mime = (recorder.mimeType || "audio/webm").split(";")[0];
  return new File(chunks, `${name}.${mime.includes("mp4") ? "mp4" : "webm"}`, { type: mime });
}
