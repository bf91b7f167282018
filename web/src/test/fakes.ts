// In-memory stand-ins for the service, shared by unit and component tests.
import { PendingUploads } from "../lib/pendingUploads";
import type { PutPart, Remote } from "../lib/upload";

export function memoryPending() {
  const data = new Map<string, string>();
  return new PendingUploads({
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  });
}

/** The service side of the upload protocol, in memory; `log` records the calls. */
export function fakeUploadService(partSize: number) {
  const received = new Map<number, { etag: string; size: number }>();
  let status = "uploading";
  let count = 4; // what a resume without a start in this test assumes
  const log: string[] = [];
  const remote: Remote = {
    async start(file) {
      log.push("start");
      count = Math.max(1, Math.ceil(file.size / partSize));
      return {
        video_id: "v1",
        part_size: partSize,
        part_count: count,
        parts: Array.from({ length: count }, (_, i) => ({ part_number: i + 1, url: `/media/parts/u/${i + 1}?sig=1` })),
      };
    },
    async state() {
      log.push("state");
      return {
        status,
        part_size: partSize,
        part_count: count,
        parts_received: [...received].map(([n, p]) => ({ part_number: n, ...p })),
      };
    },
    async urls(_id, numbers) {
      log.push(`urls ${numbers.join(",")}`);
      return numbers.map((n) => ({ part_number: n, url: `/media/parts/u/${n}?sig=2` }));
    },
    async complete(_id, parts) {
      log.push(`complete ${parts.map((p) => `${p.part_number}:${p.etag}`).join(",")}`);
      status = "uploaded";
      return { id: "v1", status: "uploaded" } as never;
    },
    async abort() {
      log.push("abort");
    },
    async video() {
      log.push("video");
      return { id: "v1", status: status } as never;
    },
  };
  const put: PutPart = async (url, body, onProgress) => {
    const n = Number(url.split("/").pop()!.split("?")[0]);
    onProgress(body.size / 2);
    received.set(n, { etag: `"e${n}"`, size: body.size });
    onProgress(body.size);
    return `"e${n}"`;
  };
  const finish = (to: string) => void (status = to);
  return { remote, putPart: put, put, received, log, finish };
}

