import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DrawingLayer } from "./DrawingLayer";

afterEach(cleanup);
if (!("PointerEvent" in window)) Object.assign(window, { PointerEvent: class extends MouseEvent {} });
HTMLCanvasElement.prototype.getContext = (() => null) as never;

describe("DrawingLayer", () => {
  it("turns a drag into an arrow in frame fractions", () => {
    const onChange = vi.fn();
    render(<DrawingLayer drawing={null} editable tool="arrow" color="#ffd60a" onChange={onChange} />);
    const canvas = screen.getByRole("img");
    canvas.getBoundingClientRect = () => ({ left: 0, top: 0, width: 400, height: 200, right: 400, bottom: 200, x: 0, y: 0, toJSON: () => ({}) });
    canvas.setPointerCapture = () => {};
    fireEvent.pointerDown(canvas, { clientX: 40, clientY: 20, pointerId: 1 });
    fireEvent.pointerMove(canvas, { clientX: 100, clientY: 60, pointerId: 1 });
    fireEvent.pointerMove(canvas, { clientX: 200, clientY: 100, pointerId: 1 });
    fireEvent.pointerUp(canvas, { clientX: 200, clientY: 100, pointerId: 1 });
    expect(onChange).toHaveBeenCalledWith({
      shapes: [{ type: "arrow", points: [[0.1, 0.1], [0.5, 0.5]], color: "#ffd60a", width: 0.006 }],
      frame_ms: null,
    });
  });

  it("only shows a saved drawing", () => {
    const onChange = vi.fn();
    render(<DrawingLayer drawing={{ shapes: [{ type: "circle", points: [[0, 0], [1, 1]] }] }} editable={false} onChange={onChange} />);
    const canvas = screen.getByRole("img", { name: "Drawing of 1 shape" });
    fireEvent.pointerDown(canvas, { clientX: 40, clientY: 20, pointerId: 1 });
    fireEvent.pointerUp(canvas, { clientX: 200, clientY: 100, pointerId: 1 });
    expect(onChange).not.toHaveBeenCalled();
  });
});
