import { describe, expect, it } from "vitest";
import { PendingUploads, sameFile } from "./pendingUploads";

function store() {
  const data = new Map<string, string>();
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
    data,
  };
}

const clip = (name = "squat.mp4", size = 10, lastModified = 1) =>
  new File([new Uint8Array(size)], name, { type: "video/mp4", lastModified });

describe("pending uploads", () => {
  it("knows a file again by name, size and modification time", () => {
    const entry = { name: "squat.mp4", size: 10, lastModified: 1 };
    expect(sameFile(entry, clip())).toBe(true);
    expect(sameFile(entry, clip("squat.mp4", 11))).toBe(false);
    expect(sameFile(entry, clip("squat.mp4", 10, 2))).toBe(false);
  });

  it("remembers one upload per file, listed by the screen that started it", () => {
    const pending = new PendingUploads(store());
    pending.remember(clip(), "v1", "thread:a");
    pending.remember(clip("other.mp4"), "v2", "exercise:new");
    pending.remember(clip(), "v3", "thread:a"); // the same file started again replaces the old entry
    expect(pending.inScope("thread:a").map((p) => p.videoId)).toEqual(["v3"]);
    expect(pending.find(clip())?.videoId).toBe("v3");
    pending.forget("v3");
    pending.forget("v2");
    expect(pending.all()).toEqual([]);
  });

  it("survives a damaged entry", () => {
    const s = store();
    s.setItem("practika-pending-uploads", "{not json");
    expect(new PendingUploads(s).all()).toEqual([]);
  });
});
