import { describe, expect, it } from "vitest";
import { ApiError } from "../api/errors";
import { fileKey, Upload, type PutPart, type Remote } from "./upload";

const MB = 1024 * 1024;

function memoryStorage() {
  const data = new Map<string, string>();
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
    data,
  };
}

/** The service side of the protocol, in memory. */
function fakeRemote(partSize: number) {
  const received = new Map<number, { etag: string; size: number }>();
  let status = "uploading";
  const log: string[] = [];
  const remote: Remote = {
    async start(file) {
      log.push("start");
      const count = Math.max(1, Math.ceil(file.size / partSize));
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
        part_count: 4,
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
  };
  const put: PutPart = async (url, body, onProgress) => {
    const n = Number(url.split("/").pop()!.split("?")[0]);
    onProgress(body.size / 2);
    received.set(n, { etag: `"e${n}"`, size: body.size });
    onProgress(body.size);
    return `"e${n}"`;
  };
  return { remote, put, received, log };
}

const file = () => new File([new Uint8Array(3 * MB + 10)], "squat.mp4", { type: "video/mp4", lastModified: 1 });

describe("Upload", () => {
  it("sends every part in parallel and completes with the ETags in order", async () => {
    const { remote, put, log } = fakeRemote(MB);
    const storage = memoryStorage();
    const seen: number[] = [];
    let active = 0;
    let peak = 0;
    const slowPut: PutPart = async (...args) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      return put(...args);
    };
    const upload = new Upload(file(), { remote, putPart: slowPut, storage, concurrency: 3, onProgress: (p) => seen.push(p.sent) });
    await upload.run();
    expect(log.at(-1)).toBe('complete 1:"e1",2:"e2",3:"e3",4:"e4"');
    expect(peak).toBe(3);
    expect(seen.at(-1)).toBe(3 * MB + 10);
    expect(storage.data.size).toBe(0); // nothing left to resume
  });

  it("resumes after a reload: sends only the parts that did not arrive", async () => {
    const { remote, put, received, log } = fakeRemote(MB);
    const storage = memoryStorage();
    const f = file();
    storage.setItem(fileKey(f), "v1");
    received.set(1, { etag: '"e1"', size: MB });
    received.set(3, { etag: '"e3"', size: MB });
    const sent: string[] = [];
    const spy: PutPart = (url, ...rest) => {
      sent.push(url);
      return put(url, ...rest);
    };
    await new Upload(f, { remote, putPart: spy, storage }).run();
    expect(log.slice(0, 2)).toEqual(["state", "urls 2,4"]);
    expect(sent.map((u) => u.split("?")[0])).toEqual(["/media/parts/u/2", "/media/parts/u/4"]);
    expect(log.at(-1)).toBe('complete 1:"e1",2:"e2",3:"e3",4:"e4"');
  });

  it("retries a dropped part with backoff, with a fresh URL when the old one expired", async () => {
    const { remote, put, log } = fakeRemote(MB);
    let failures = 2;
    const flaky: PutPart = async (url, ...rest) => {
      if (url.endsWith("/2?sig=1") && failures-- > 0) throw failures === 1 ? ApiError.network(null) : new ApiError(403, "forbidden", "expired");
      return put(url, ...rest);
    };
    const waits: number[] = [];
    await new Upload(file(), { remote, putPart: flaky, storage: memoryStorage(), sleep: async (ms) => void waits.push(ms) }).run();
    expect(waits).toEqual([500, 1000]);
    expect(log).toContain("urls 2");
    expect(log.at(-1)).toMatch(/^complete/);
  });

  it("cancel stops sending and drops the upload on the service", async () => {
    const { remote, log } = fakeRemote(MB);
    const storage = memoryStorage();
    const never: PutPart = (_u, _b, _p, signal) =>
      new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("aborted"))));
    const upload = new Upload(file(), { remote, putPart: never, storage });
    const running = upload.run();
    await new Promise((r) => setTimeout(r, 10));
    await upload.cancel();
    await expect(running).rejects.toThrow(/cancelled/);
    expect(log).toContain("abort");
    expect(storage.data.size).toBe(0);
  });
});
