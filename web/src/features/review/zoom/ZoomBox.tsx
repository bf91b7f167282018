// The zoomable picture: everything inside (the video, drawings, measures, an overlaid
// compare video) is scaled and moved as one, so drawings stay on their pixels. Wheel or
// the buttons zoom on desktop, a drag pans; on a phone two fingers pinch and one pans.
import { useEffect, useRef, type ReactNode } from "react";
import { clampView, IDENTITY, panBy, zoomAt, type View } from "./zoom";

interface Props {
  view: View;
  onView(view: View): void;
  /** Off while a tool takes the pointer (drawing, measuring): then only the wheel zooms. */
  pannable: boolean;
  children: ReactNode;
}

export function ZoomBox({ view, onView, pannable, children }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const moved = useRef(0);
  const size = () => {
    const el = box.current;
    return { w: el?.offsetWidth ?? 0, h: el?.offsetHeight ?? 0, rect: el?.getBoundingClientRect() };
  };
  const local = (x: number, y: number) => {
    const { rect } = size();
    return rect ? { x: x - rect.left, y: y - rect.top } : { x, y };
  };
  const latest = useRef({ view, onView });
  latest.current = { view, onView };
  // The wheel zooms about the pointer. A native listener: React's is passive, and the page
  // must not scroll while the picture zooms. Wheeling out of the whole picture scrolls on.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const wheel = (e: WheelEvent) => {
      const { view: v, onView: set } = latest.current;
      if (v.scale === 1 && e.deltaY > 0) return;
      e.preventDefault();
      const rect = el.getBoundingClientRect();
      set(zoomAt(v, Math.exp(-e.deltaY / 400), e.clientX - rect.left, e.clientY - rect.top, el.offsetWidth, el.offsetHeight));
    };
    el.addEventListener("wheel", wheel, { passive: false });
    return () => el.removeEventListener("wheel", wheel);
  }, []);
  return (
    <div
      ref={box}
      className={`zoom-box${view.scale > 1 ? " zoomed" : ""}`}
      data-testid="zoom-box"
      data-scale={view.scale.toFixed(3)}
      onPointerDown={(e) => {
        if (!pannable && e.pointerType !== "touch") return;
        pointers.current.set(e.pointerId, local(e.clientX, e.clientY));
        moved.current = 0;
      }}
      onPointerMove={(e) => {
        const last = pointers.current.get(e.pointerId);
        if (!last) return;
        const next = local(e.clientX, e.clientY);
        const { w, h } = size();
        if (pointers.current.size >= 2) {
          // Pinch: the distance between the two fingers sets the scale, about their middle.
          const [a, b] = [...pointers.current.entries()].map(([id, p]) => (id === e.pointerId ? next : p));
          const [pa, pb] = [...pointers.current.entries()].map(([id, p]) => (id === e.pointerId ? last : p));
          const before = Math.hypot(pa.x - pb.x, pa.y - pb.y);
          const after = Math.hypot(a.x - b.x, a.y - b.y);
          if (before > 0) onView(zoomAt(view, after / before, (a.x + b.x) / 2, (a.y + b.y) / 2, w, h));
          moved.current += Math.abs(after - before);
        } else if (view.scale > 1 && pannable) {
          onView(panBy(view, next.x - last.x, next.y - last.y, w, h));
          moved.current += Math.abs(next.x - last.x) + Math.abs(next.y - last.y);
        }
        pointers.current.set(e.pointerId, next);
      }}
      onPointerUp={(e) => void pointers.current.delete(e.pointerId)}
      onPointerCancel={(e) => void pointers.current.delete(e.pointerId)}
      onClickCapture={(e) => {
        // The end of a drag or a pinch is not a click on the video (which would play it).
        if (moved.current > 4) {
          e.stopPropagation();
          moved.current = 0;
        }
      }}
    >
      <div className="zoom-content" style={{ transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})` }}>
        {children}
      </div>
    </div>
  );
}

export function ZoomButtons({ view, onView, frame }: { view: View; onView(v: View): void; frame: () => { w: number; h: number } }) {
  const by = (factor: number) => {
    const { w, h } = frame();
    onView(zoomAt(view, factor, w / 2, h / 2, w, h));
  };
  return (
    <span className="zoom-buttons" role="group" aria-label="Zoom">
      <button type="button" className="secondary" aria-label="Zoom out" disabled={view.scale <= 1} onClick={() => by(1 / 1.5)}>
        −
      </button>
      <output data-testid="zoom-level" aria-label="Zoom level">
        {Math.round(view.scale * 100)}%
      </output>
      <button type="button" className="secondary" aria-label="Zoom in" onClick={() => by(1.5)}>
        +
      </button>
      <button type="button" className="secondary" disabled={view.scale <= 1} onClick={() => onView(clampView(IDENTITY, 1, 1))}>
        Fit
      </button>
    </span>
  );
}
