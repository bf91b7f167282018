import { cleanup, fireEvent, render } from "@testing-library/react";
import { useRef } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { isTextField, useRenewableSource, useReviewShortcuts, type Shortcuts } from "./playerHooks";

afterEach(cleanup);

const keys = (): Shortcuts => ({
  playPause: vi.fn(),
  pause: vi.fn(),
  step: vi.fn(),
  extend: vi.fn(),
  shuttle: vi.fn(),
  markIn: vi.fn(),
  markOut: vi.fn(),
  fullscreen: vi.fn(),
});

function Screen({ shortcuts }: { shortcuts: Shortcuts }) {
  useReviewShortcuts(shortcuts);
  return (
    <div>
      <div role="slider" tabIndex={0} aria-label="Timeline" aria-valuenow={0} />
      <button type="button">Next frame</button>
      <input type="checkbox" aria-label="Loop" />
      <textarea aria-label="Comment" />
      <input aria-label="Search" />
    </div>
  );
}

describe("review shortcuts", () => {
  it("work with the timeline focused", () => {
    const k = keys();
    const { getByRole } = render(<Screen shortcuts={k} />);
    const timeline = getByRole("slider");
    timeline.focus();
    fireEvent.keyDown(timeline, { key: " " });
    fireEvent.keyDown(timeline, { key: "ArrowRight" });
    fireEvent.keyDown(timeline, { key: "," });
    expect(k.playPause).toHaveBeenCalledTimes(1);
    expect(k.step).toHaveBeenNthCalledWith(1, 1);
    expect(k.step).toHaveBeenNthCalledWith(2, -1);
  });

  it("play on Space at a focused button instead of pressing it", () => {
    const k = keys();
    const { getByRole } = render(<Screen shortcuts={k} />);
    const button = getByRole("button", { name: "Next frame" });
    const down = fireEvent.keyDown(button, { key: " " });
    const up = fireEvent.keyUp(button, { key: " " });
    expect(k.playPause).toHaveBeenCalledTimes(1);
    expect(k.step).not.toHaveBeenCalled();
    expect(down).toBe(false); // default prevented: the button is not pressed
    expect(up).toBe(false);
  });

  it("stay out of text fields", () => {
    const k = keys();
    const { getByLabelText } = render(<Screen shortcuts={k} />);
    for (const field of [getByLabelText("Comment"), getByLabelText("Search")]) {
      expect(fireEvent.keyDown(field, { key: " " })).toBe(true);
      fireEvent.keyDown(field, { key: "j" });
      fireEvent.keyDown(field, { key: "ArrowLeft" });
    }
    expect(k.playPause).not.toHaveBeenCalled();
    expect(k.shuttle).not.toHaveBeenCalled();
    expect(k.step).not.toHaveBeenCalled();
    expect(isTextField(getByLabelText("Loop"))).toBe(false);
  });

  it("shuttle with J K L, mark in and out with I O, extend with Shift+arrows, F for full screen", () => {
    const k = keys();
    const { getByLabelText } = render(<Screen shortcuts={k} />);
    const target = getByLabelText("Loop");
    for (const key of ["j", "K", "l", "i", "o", "f"]) fireEvent.keyDown(target, { key });
    fireEvent.keyDown(target, { key: "ArrowLeft", shiftKey: true });
    fireEvent.keyDown(target, { key: "ArrowRight", shiftKey: true });
    expect(k.shuttle).toHaveBeenNthCalledWith(1, "j");
    expect(k.shuttle).toHaveBeenNthCalledWith(2, "l");
    expect(k.pause).toHaveBeenCalledTimes(1);
    expect(k.markIn).toHaveBeenCalledTimes(1);
    expect(k.markOut).toHaveBeenCalledTimes(1);
    expect(k.fullscreen).toHaveBeenCalledTimes(1);
    expect(k.extend).toHaveBeenNthCalledWith(1, -1);
    expect(k.extend).toHaveBeenNthCalledWith(2, 1);
    expect(k.step).not.toHaveBeenCalled();
  });

  it("leave the browser's own shortcuts alone", () => {
    const k = keys();
    const { getByRole } = render(<Screen shortcuts={k} />);
    expect(fireEvent.keyDown(getByRole("slider"), { key: "l", ctrlKey: true })).toBe(true);
    expect(k.shuttle).not.toHaveBeenCalled();
  });
});

function Player({ url }: { url: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useRenewableSource(ref, url);
  return <video ref={ref} data-testid="player" />;
}

/** jsdom's media element does not play: give it a position, a play state and a speed. */
function fakeMedia(video: HTMLVideoElement) {
  const state = { currentTime: 0, paused: true };
  Object.defineProperty(video, "currentTime", { get: () => state.currentTime, set: (t: number) => (state.currentTime = t) });
  Object.defineProperty(video, "paused", { get: () => state.paused });
  video.play = vi.fn(async () => {
    state.paused = false;
  });
  video.load = vi.fn();
  return state;
}

describe("a renewed playback URL", () => {
  it("keeps the position, the play state and the speed", () => {
    const { getByTestId, rerender } = render(<Player url="/media/files/r.mp4?exp=1&sig=a" />);
    const video = getByTestId("player") as HTMLVideoElement;
    expect(video.getAttribute("src")).toBe("/media/files/r.mp4?exp=1&sig=a");
    const state = fakeMedia(video);
    state.currentTime = 6.03;
    state.paused = false;
    video.playbackRate = 0.5;

    rerender(<Player url="/media/files/r.mp4?exp=2&sig=b" />);
    expect(video.getAttribute("src")).toBe("/media/files/r.mp4?exp=2&sig=b");
    // Loading the new source resets the element, as a browser does.
    state.currentTime = 0;
    state.paused = true;
    video.playbackRate = 1;
    fireEvent(video, new Event("loadedmetadata"));
    expect(state.currentTime).toBe(6.03);
    expect(video.playbackRate).toBe(0.5);
    expect(video.play).toHaveBeenCalled();
  });

  it("leaves a paused video paused", () => {
    const { getByTestId, rerender } = render(<Player url="/a?sig=1" />);
    const video = getByTestId("player") as HTMLVideoElement;
    const state = fakeMedia(video);
    state.currentTime = 2.5;
    rerender(<Player url="/a?sig=2" />);
    state.currentTime = 0;
    fireEvent(video, new Event("loadedmetadata"));
    expect(state.currentTime).toBe(2.5);
    expect(video.play).not.toHaveBeenCalled();
  });
});
