import { afterEach, describe, expect, it, vi } from "vitest";

afterEach(() => vi.unstubAllGlobals());

describe("signalEnd", () => {
  it("beeps through WebAudio and vibrates where the browser can", async () => {
    const started: number[] = [];
    class FakeContext {
      currentTime = 0;
      destination = {};
      createOscillator() {
        return { frequency: { value: 0 }, connect: (n: unknown) => n, start: () => started.push(1), stop: () => undefined };
      }
      createGain() {
        return { gain: { setValueAtTime: () => undefined, exponentialRampToValueAtTime: () => undefined }, connect: (n: unknown) => n };
      }
    }
    vi.stubGlobal("AudioContext", FakeContext);
    const vibrate = vi.fn(() => true);
    Object.defineProperty(navigator, "vibrate", { value: vibrate, configurable: true });
    vi.resetModules();
    const { signalEnd } = await import("./signal");
    expect(signalEnd()).toEqual({ sound: true, vibration: true });
    expect(started).toEqual([1]);
    expect(vibrate).toHaveBeenCalledWith([200, 100, 200]);
  });
});
