// Browser uploads over the media pipeline's multipart protocol (docs/media-protocol.md):
// parts in parallel, progress with speed and time left, resume after a dropped
// connection or a reload (the upload's id is remembered per file), cancel.
import { api, call, type Video } from "../api/client";
import { ApiError } from "../api/errors";
import { browserPendingUploads, type PendingUploads } from "./pendingUploads";

export interface UploadProgress {
  sent: number;
  total: number;
  bytesPerSecond: number;
  secondsLeft: number | null;
}

export type PutPart = (
  url: string,
  body: Blob,
  onProgress: (loaded: number) => void,
  signal: AbortSignal,
) => Promise<string>;

export interface Remote {
  start(file: File): Promise<{ video_id: string; part_size: number; part_count: number; parts: PartUrl[] }>;
  state(videoId: string): Promise<{ status: string; part_size: number | null; part_count: number | null; parts_received: { part_number: number; etag: string; size: number }[] }>;
  urls(videoId: string, numbers: number[]): Promise<PartUrl[]>;
  complete(videoId: string, parts: { part_number: number; etag: string }[]): Promise<Video>;
  abort(videoId: string): Promise<void>;
  video(videoId: string): Promise<Video>;
}

interface PartUrl {
  part_number: number;
  url: string;
}

export interface UploadOptions {
  concurrency?: number;
  retries?: number;
  onProgress?: (progress: UploadProgress) => void;
  /** Where the upload starts, remembered so that screen can offer to resume it after a reload. */
  scope?: string;
  remote?: Remote;
  putPart?: PutPart;
  pending?: PendingUploads;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

type ReceivedPart = { part_number: number; etag: string; size: number };

/** Statuses after a successful complete: the answer was lost, the video exists. */
const COMPLETED = new Set(["uploaded", "processing", "ready", "failed"]);

/** Upload `file`; resolves with the video once the service has it (processing follows). */
export class Upload {
  private readonly controller = new AbortController();
  private videoId: string | null = null;
  private readonly remote: Remote;
  private readonly putPart: PutPart;
  private readonly pending: PendingUploads;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private rate = 0;

  constructor(
    readonly file: File,
    private readonly options: UploadOptions = {},
  ) {
    this.remote = options.remote ?? httpRemote;
    this.putPart = options.putPart ?? xhrPut;
    this.pending = options.pending ?? browserPendingUploads();
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  get id(): string | null {
    return this.videoId;
  }

  async run(): Promise<Video> {
    const prepared = await this.prepare();
    if ("video" in prepared) return prepared.video;
    const { partSize, partCount, done, urls } = prepared;
    const etags = new Map(done.map((p) => [p.part_number, p.etag]));
    const inFlight = new Map<number, number>();
    let sentDone = done.reduce((sum, p) => sum + p.size, 0);
    const started = this.now();
    const startBytes = sentDone;
    const report = () => {
      const sent = sentDone + [...inFlight.values()].reduce((a, b) => a + b, 0);
      const elapsed = (this.now() - started) / 1000;
      if (elapsed > 0.2) this.rate = (sent - startBytes) / elapsed;
      this.options.onProgress?.({
        sent,
        total: this.file.size,
        bytesPerSecond: this.rate,
        secondsLeft: this.rate > 0 ? (this.file.size - sent) / this.rate : null,
      });
    };
    report();
    const queue = [...urls.keys()].sort((a, b) => a - b);
    const sendOne = async (n: number): Promise<void> => {
      const blob = this.file.slice((n - 1) * partSize, Math.min(n * partSize, this.file.size));
      const retries = this.options.retries ?? 5;
      for (let attempt = 0; ; attempt++) {
        try {
          const etag = await this.putPart(urls.get(n)!, blob, (loaded) => {
            inFlight.set(n, loaded);
            report();
          }, this.controller.signal);
          inFlight.delete(n);
          etags.set(n, etag);
          sentDone += blob.size;
          report();
          return;
        } catch (error) {
          inFlight.delete(n);
          if (this.controller.signal.aborted) throw new ApiError(0, "cancelled", "The upload was cancelled.");
          if (attempt >= retries) throw error;
          await this.sleep(Math.min(30_000, 500 * 2 ** attempt));
          if (error instanceof ApiError && error.status === 403) {
            // The part's URL expired while we waited: ask for a fresh one.
            const [fresh] = await this.remote.urls(this.videoId!, [n]);
            urls.set(n, fresh.url);
          }
        }
      }
    };
    // After one part gives up, no new part starts; those in flight finish, so a resume
    // has less to send.
    let failure: unknown = null;
    const workers = Array.from({ length: Math.min(this.options.concurrency ?? 4, queue.length) }, async () => {
      while (queue.length > 0 && failure === null) {
        try {
          await sendOne(queue.shift()!);
        } catch (error) {
          failure ??= error;
        }
      }
    });
    await Promise.all(workers);
    if (failure !== null) throw failure;
    const parts = Array.from({ length: partCount }, (_, i) => ({ part_number: i + 1, etag: etags.get(i + 1)! }));
    const video = await this.remote.complete(this.videoId!, parts);
    this.pending.forget(this.videoId!);
    return video;
  }

  /** Stop sending and drop what the service holds of this upload. */
  async cancel(): Promise<void> {
    this.controller.abort();
    if (!this.videoId) return;
    this.pending.forget(this.videoId);
    await this.remote.abort(this.videoId).catch(() => undefined);
  }

  /** Resume the upload remembered for this file, or start a new one. */
  private async prepare(): Promise<
    | { video: Video }
    | { partSize: number; partCount: number; done: ReceivedPart[]; urls: Map<number, string> }
  > {
    const remembered = this.pending.find(this.file);
    if (remembered) {
      const id = remembered.videoId;
      try {
        const state = await this.remote.state(id);
        if (state.status === "uploading" && state.part_size && state.part_count) {
          this.videoId = id;
          const have = new Set(state.parts_received.map((p) => p.part_number));
          const missing = Array.from({ length: state.part_count }, (_, i) => i + 1).filter((n) => !have.has(n));
          const fresh = missing.length ? await this.remote.urls(id, missing) : [];
          return {
            partSize: state.part_size,
            partCount: state.part_count,
            done: state.parts_received,
            urls: new Map(fresh.map((p) => [p.part_number, p.url])),
          };
        }
        if (COMPLETED.has(state.status)) {
          // Completed earlier, but the answer never arrived: nothing left to send.
          this.videoId = id;
          this.pending.forget(id);
          return { video: await this.remote.video(id) };
        }
      } catch (error) {
        // Gone (expired, aborted elsewhere): start over below. Anything else may pass later.
        if (!(error instanceof ApiError) || error.status !== 404) throw error;
      }
      this.pending.forget(id);
    }
    const started = await this.remote.start(this.file);
    this.videoId = started.video_id;
    this.pending.remember(this.file, started.video_id, this.options.scope ?? "");
    let urls = started.parts;
    if (urls.length < started.part_count) {
      const rest = Array.from({ length: started.part_count - urls.length }, (_, i) => urls.length + i + 1);
      urls = [...urls, ...(await this.remote.urls(started.video_id, rest))];
    }
    return {
      partSize: started.part_size,
      partCount: started.part_count,
      done: [],
      urls: new Map(urls.map((p) => [p.part_number, p.url])),
    };
  }
}

export const httpRemote: Remote = {
  start: (file) =>
    call(
      api.POST("/api/v1/uploads", {
        body: { filename: file.name || "video.webm", content_type: file.type || "video/mp4", size_bytes: file.size },
      }),
    ),
  state: (id) => call(api.GET("/api/v1/uploads/{video_id}", { params: { path: { video_id: id } } })),
  urls: async (id, numbers) =>
    (
      await call(
        api.POST("/api/v1/uploads/{video_id}/parts", {
          params: { path: { video_id: id } },
          body: { part_numbers: numbers },
        }),
      )
    ).parts,
  complete: (id, parts) =>
    call(api.POST("/api/v1/uploads/{video_id}/complete", { params: { path: { video_id: id } }, body: { parts } })),
  abort: async (id) => {
    await call(api.DELETE("/api/v1/uploads/{video_id}", { params: { path: { video_id: id } } }));
  },
  video: (id) => call(api.GET("/api/v1/videos/{video_id}", { params: { path: { video_id: id } } })),
};

/** Drop an upload that will not be resumed: the service frees its parts. */
export async function discardUpload(videoId: string, pending: PendingUploads = browserPendingUploads()): Promise<void> {
  pending.forget(videoId);
  await httpRemote.abort(videoId).catch((error: unknown) => {
    // Already gone or closed is what we wanted.
    if (!(error instanceof ApiError) || (error.status !== 404 && error.status !== 409)) throw error;
  });
}

/** PUT one part with upload progress (fetch has none); resolves with its ETag. */
export const xhrPut: PutPart = (url, body, onProgress, signal) =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      const etag = xhr.getResponseHeader("ETag");
      if (xhr.status >= 200 && xhr.status < 300 && etag) resolve(etag);
      else reject(ApiError.from(xhr.status, safeJson(xhr.responseText)));
    };
    xhr.onerror = () => reject(ApiError.network(null));
    signal.addEventListener("abort", () => xhr.abort());
    xhr.send(body);
  });

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
