import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Comment } from "../../api/client";
import { Timeline } from "./Timeline";

const comment = (id: string, start: number, end: number, body: string): Comment => ({
  id,
  thread_id: "t",
  video_id: "v",
  author: { id: "u", display_name: "Ana" },
  reply_to_id: null,
  t_start_ms: start,
  t_end_ms: end,
  body,
  kind: "correction",
  tags: [],
  drawing: null,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
  edited_at: null,
  deleted_at: null,
});

afterEach(cleanup);

// jsdom has no PointerEvent; a MouseEvent carries the coordinates the timeline reads.
if (!("PointerEvent" in window)) {
  Object.assign(window, { PointerEvent: class extends MouseEvent {} });
}

describe("Timeline", () => {
  it("shows a mark per comment at its place, and picking one reports it", () => {
    const onPick = vi.fn();
    render(
      <Timeline
        duration={10_000}
        current={0}
        comments={[comment("a", 2000, 4000, "knees out"), comment("b", 5000, 5000, "good depth")]}
        selection={null}
        onSelect={() => {}}
        onSeek={() => {}}
        onPick={onPick}
      />,
    );
    const mark = screen.getByRole("button", { name: "Comment at 0:02.0 by Ana" });
    expect(mark.style.left).toBe("20%");
    expect(mark.style.width).toBe("max(6px, 20%)");
    fireEvent.click(mark);
    expect(onPick).toHaveBeenCalledWith(expect.objectContaining({ id: "a" }));
    expect(screen.getAllByRole("button", { name: /Comment at/ })).toHaveLength(2);
  });

  it("hides deleted comments and moves a second with Page Up", () => {
    const onSeek = vi.fn();
    const deleted = { ...comment("c", 1000, 2000, ""), deleted_at: "2026-01-02T00:00:00Z" };
    render(<Timeline duration={10_000} current={3000} comments={[deleted]} selection={null} onSelect={() => {}} onSeek={onSeek} onPick={() => {}} />);
    expect(screen.queryAllByRole("button", { name: /Comment at/ })).toHaveLength(0);
    fireEvent.keyDown(screen.getByRole("slider"), { key: "PageUp" });
    expect(onSeek).toHaveBeenCalledWith(4000);
  });

  it("turns a drag on the track into a range, and seeks to its start", () => {
    const onSelect = vi.fn();
    const onSeek = vi.fn();
    render(<Timeline duration={10_000} current={0} comments={[]} selection={null} onSelect={onSelect} onSeek={onSeek} onPick={() => {}} />);
    const track = screen.getByRole("slider");
    track.getBoundingClientRect = () => ({ left: 0, top: 0, width: 500, height: 40, right: 500, bottom: 40, x: 0, y: 0, toJSON: () => ({}) });
    track.setPointerCapture = () => {};
    fireEvent.pointerDown(track, { clientX: 250, pointerId: 1 });
    fireEvent.pointerMove(track, { clientX: 150, pointerId: 1 });
    fireEvent.pointerUp(track, { clientX: 100, pointerId: 1 });
    expect(onSelect).toHaveBeenLastCalledWith({ start: 2000, end: 5000 });
    expect(onSeek).toHaveBeenCalledWith(2000);
  });
});
