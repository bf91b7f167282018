// Browser uploads over the media pipeline's multipart protocol (docs/media-protocol.md):
// parts in parallel, progress with speed and time left, resume after a dropped
// connection or a reload (the upload's id is remembered per file), cancel.
import { api, call, type Video } from "../api/client";
import { ApiError } from "../api/errors";

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
}

interface PartUrl {
  part_number: number;
  url: string;
}

export interface UploadOptions {
  concurrency?: number;
  retries?: number;
  onProgress?: (progress: UploadProgress) => void;
  remote?: Remote;
  putPart?: PutPart;
  storage?: Pick<Storage, "getItem" | "setItem" | "removeItem">;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export function fileKey(file: File): string {
  return `practika-upload:${file.name}:${file.size}:${file.lastModified}`;
}

/** Upload `file`; resolves with the video once the service has it (processing follows). */
export class Upload {
  private readonly controller = new AbortController();
  private videoId: string | null = null;
  private readonly remote: Remote;
  private readonly putPart: PutPart;
  private readonly storage: Pick<Storage, "getItem" | "setItem" | "removeItem">;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private rate = 0;

  constructor(
    readonly file: File,
    private readonly options: UploadOptions = {},
  ) {
    this.remote = options.remote ?? httpRemote;
    this.putPart = options.putPart ?? xhrPut;
    this.storage = options.storage ?? window.localStorage;
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  get id(): string | null {
    return this.videoId;
  }

  async run(): Promise<Video> {
    const { partSize, partCount, done, urls } = await this.prepare();
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
    const workers = Array.from({ length: Math.min(this.options.concurrency ?? 4, queue.length) }, async () => {
      while (queue.length > 0) await sendOne(queue.shift()!);
    });
    await Promise.all(workers);
    const parts = Array.from({ length: partCount }, (_, i) => ({ part_number: i + 1, etag: etags.get(i + 1)! }));
    const video = await this.remote.complete(this.videoId!, parts);
    this.storage.removeItem(fileKey(this.file));
    return video;
  }

  /** Stop sending and drop what the service holds of this upload. */
  async cancel(): Promise<void> {
    this.controller.abort();
    this.storage.removeItem(fileKey(this.file));
    if (this.videoId) await this.remote.abort(this.videoId).catch(() => undefined);
  }

  private async prepare() {
    const remembered = this.storage.getItem(fileKey(this.file));
    if (remembered) {
      try {
        const state = await this.remote.state(remembered);
        if (state.status === "uploading" && state.part_size && state.part_count) {
          this.videoId = remembered;
          const have = new Set(state.parts_received.map((p) => p.part_number));
          const missing = Array.from({ length: state.part_count }, (_, i) => i + 1).filter((n) => !have.has(n));
          const fresh = missing.length ? await this.remote.urls(remembered, missing) : [];
          return {
            partSize: state.part_size,
            partCount: state.part_count,
            done: state.parts_received,
            urls: new Map(fresh.map((p) => [p.part_number, p.url])),
          };
        }
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 404) throw error;
      }
      this.storage.removeItem(fileKey(this.file));
    }
    const started = await this.remote.start(this.file);
    this.videoId = started.video_id;
    this.storage.setItem(fileKey(this.file), started.video_id);
    let urls = started.parts;
    if (urls.length < started.part_count) {
      const rest = Array.from({ length: started.part_count - urls.length }, (_, i) => urls.length + i + 1);
      urls = [...urls, ...(await this.remote.urls(started.video_id, rest))];
    }
    return {
      partSize: started.part_size,
      partCount: started.part_count,
      done: [] as { part_number: number; etag: string; size: number }[],
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
};

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
