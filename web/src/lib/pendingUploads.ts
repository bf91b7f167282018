// Uploads that have started but not completed, remembered in localStorage so that after
// a dropped connection or a reload the same file can pick up where it stopped.
// A File cannot be kept across a reload, so we keep its identity (name, size, modified
// time) and ask the person to choose the same file again.

export type KeyValueStore = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export interface PendingUpload {
  videoId: string;
  name: string;
  size: number;
  lastModified: number;
  /** Where the upload was started (e.g. "thread:<id>"), so that screen can offer to resume it. */
  scope: string;
  startedAt: string;
}

const KEY = "practika-pending-uploads";

/** The identity of a file as far as resuming is concerned. */
export function sameFile(pending: Pick<PendingUpload, "name" | "size" | "lastModified">, file: File): boolean {
  return pending.name === file.name && pending.size === file.size && pending.lastModified === file.lastModified;
}

export class PendingUploads {
  constructor(private readonly storage: KeyValueStore) {}

  all(): PendingUpload[] {
    try {
      const parsed: unknown = JSON.parse(this.storage.getItem(KEY) ?? "[]");
      return Array.isArray(parsed) ? (parsed as PendingUpload[]) : [];
    } catch {
      return []; // a damaged entry must not break uploading
    }
  }

  inScope(scope: string): PendingUpload[] {
    return this.all().filter((p) => p.scope === scope);
  }

  find(file: File): PendingUpload | undefined {
    return this.all().find((p) => sameFile(p, file));
  }

  remember(file: File, videoId: string, scope: string, now: Date = new Date()): void {
    const rest = this.all().filter((p) => !sameFile(p, file) && p.videoId !== videoId);
    const entry: PendingUpload = {
      videoId,
      name: file.name,
      size: file.size,
      lastModified: file.lastModified,
      scope,
      startedAt: now.toISOString(),
    };
    this.save([...rest, entry]);
  }

  forget(videoId: string): void {
    const rest = this.all().filter((p) => p.videoId !== videoId);
    if (rest.length) this.save(rest);
    else this.storage.removeItem(KEY);
  }

  private save(entries: PendingUpload[]): void {
    this.storage.setItem(KEY, JSON.stringify(entries));
  }
}

/** The browser's store; falls back to memory where localStorage is unavailable (private modes). */
export function browserPendingUploads(): PendingUploads {
  try {
    window.localStorage.getItem(KEY);
    return new PendingUploads(window.localStorage);
  } catch {
    const memory = new Map<string, string>();
    return new PendingUploads({
      getItem: (k) => memory.get(k) ?? null,
      setItem: (k, v) => void memory.set(k, v),
      removeItem: (k) => void memory.delete(k),
    });
  }
}
