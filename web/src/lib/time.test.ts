import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration, formatMs, formatPrecise, relativeTime } from "./time";

describe("formatting", () => {
  it("shows video times as m:ss.t", () => {
    expect(formatMs(0)).toBe("0:00.0");
    expect(formatMs(83_456)).toBe("1:23.4");
    expect(formatMs(-5)).toBe("0:00.0");
  });
  it("shows durations and sizes for people", () => {
    expect(formatDuration(95)).toBe("1 min 35 s");
    expect(formatDuration(3725)).toBe("1 h 2 min");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(3 * 1024 ** 3)).toBe("3.0 GB");
  });
  it("says how long ago", () => {
    const now = new Date("2026-01-01T12:00:00Z");
    expect(relativeTime("2026-01-01T11:59:30Z", now)).toBe("just now");
    expect(relativeTime("2026-01-01T11:15:00Z", now)).toBe("45 min ago");
  });
});

describe("precise times", () => {
  it("shows hundredths, so consecutive frames read differently", () => {
    expect(formatPrecise(6000)).toBe("0:06.00");
    expect(formatPrecise(6033.3)).toBe("0:06.03");
    expect(formatPrecise(6066.7)).toBe("0:06.06");
    expect(formatPrecise(83_456)).toBe("1:23.45");
  });
});
