import { describe, expect, it } from "vitest";
import { ApiError } from "../api/errors";
import { fakeUploadService, memoryPending } from "../test/fakes";
import { Upload, type PutPart } from "./upload";

const MB = 1024 * 1024;

const file = () => new File([new Uint8Array(3 * MB + 10)], "squat.mp4", { type: "video/mp4", lastModified: 1 });

describe("Upload", () => {
  it("sends every part in parallel and completes with the ETags in order", async () => {
    const { remote, put, log } = fakeUploadService(MB);
    const pending = memoryPending();
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
    const upload = new Upload(file(), { remote, putPart: slowPut, pending, concurrency: 3, onProgress: (p) => seen.push(p.sent) });
    await upload.run();
    expect(log.at(-1)).toBe('complete 1:"e1",2:"e2",3:"e3",4:"e4"');
    expect(peak).toBe(3);
    expect(seen.at(-1)).toBe(3 * MB + 10);
    expect(pending.all()).toEqual([]); // nothing left to resume
  });

  it("resumes after a reload: sends only the parts that did not arrive", async () => {
    const { remote, put, received, log } = fakeUploadService(MB);
    const pending = memoryPending();
    const f = file();
    pending.remember(f, "v1", "thread:t1");
    received.set(1, { etag: '"e1"', size: MB });
    received.set(3, { etag: '"e3"', size: MB });
    const sent: string[] = [];
    const spy: PutPart = (url, ...rest) => {
      sent.push(url);
      return put(url, ...rest);
    };
    await new Upload(f, { remote, putPart: spy, pending }).run();
    expect(log.slice(0, 2)).toEqual(["state", "urls 2,4"]);
    expect(sent.map((u) => u.split("?")[0])).toEqual(["/media/parts/u/2", "/media/parts/u/4"]);
    expect(log.at(-1)).toBe('complete 1:"e1",2:"e2",3:"e3",4:"e4"');
  });

  it("retries a dropped part with backoff, with a fresh URL when the old one expired", async () => {
    const { remote, put, log } = fakeUploadService(MB);
    let failures = 2;
    const flaky: PutPart = async (url, ...rest) => {
      if (url.endsWith("/2?sig=1") && failures-- > 0) throw failures === 1 ? ApiError.network(null) : new ApiError(403, "forbidden", "expired");
      return put(url, ...rest);
    };
    const waits: number[] = [];
    await new Upload(file(), { remote, putPart: flaky, pending: memoryPending(), sleep: async (ms) => void waits.push(ms) }).run();
    expect(waits).toEqual([500, 1000]);
    expect(log).toContain("urls 2");
    expect(log.at(-1)).toMatch(/^complete/);
  });

  it("cancel stops sending and drops the upload on the service", async () => {
    const { remote, log } = fakeUploadService(MB);
    const pending = memoryPending();
    const never: PutPart = (_u, _b, _p, signal) =>
      new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("aborted"))));
    const upload = new Upload(file(), { remote, putPart: never, pending });
    const running = upload.run();
    await new Promise((r) => setTimeout(r, 10));
    await upload.cancel();
    await expect(running).rejects.toThrow(/cancelled/);
    expect(log).toContain("abort");
    expect(pending.all()).toEqual([]);
  });

  it("after a part gives up, starts no new part and stays resumable", async () => {
    const { remote, put, log } = fakeUploadService(MB);
    const pending = memoryPending();
    const sent: number[] = [];
    const broken: PutPart = async (url, ...rest) => {
      const n = Number(url.split("/").pop()!.split("?")[0]);
      if (n === 1) throw ApiError.network(null);
      sent.push(n);
      return put(url, ...rest);
    };
    const f = file();
    const first = new Upload(f, { remote, putPart: broken, pending, concurrency: 1, retries: 1, sleep: async () => undefined, scope: "thread:t1" });
    await expect(first.run()).rejects.toThrow(/offline/);
    expect(sent).toEqual([]); // part 1 failed first; 2–4 never started
    expect(pending.inScope("thread:t1")).toMatchObject([{ videoId: "v1", name: "squat.mp4" }]);

    // Later (the same file chosen again): only what is missing is sent.
    await new Upload(f, { remote, putPart: put, pending }).run();
    expect(log).toContain("urls 1,2,3,4");
    expect(log.at(-1)).toMatch(/^complete/);
    expect(pending.all()).toEqual([]);
  });

  it("a resume finds the upload already completed (the answer was lost) and returns the video", async () => {
    const { remote, put, log, finish } = fakeUploadService(MB);
    const pending = memoryPending();
    const f = file();
    pending.remember(f, "v1", "");
    finish("processing");
    const video = await new Upload(f, { remote, putPart: put, pending }).run();
    expect(video).toMatchObject({ id: "v1", status: "processing" });
    expect(log).toEqual(["state", "video"]);
    expect(pending.all()).toEqual([]);
  });

  it("starts over when the remembered upload is gone", async () => {
    const { remote, put, log } = fakeUploadService(MB);
    remote.state = async () => {
      log.push("state");
      throw new ApiError(404, "not_found", "gone");
    };
    const pending = memoryPending();
    const f = file();
    pending.remember(f, "old", "");
    await new Upload(f, { remote, putPart: put, pending }).run();
    expect(log.slice(0, 2)).toEqual(["state", "start"]);
    expect(pending.all()).toEqual([]);
  });
});
