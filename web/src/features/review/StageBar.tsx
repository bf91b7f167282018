// The row under the player for the tools that work on the picture: measuring, lining up
// two videos, and zoom.
import type { Compare } from "./compare/useCompare";
import type { Measuring } from "./tools/useMeasuring";
import { ZoomButtons } from "./zoom/ZoomBox";
import type { View } from "./zoom/zoom";

interface Props {
  measuring: Measuring;
  compare: Compare;
  zoom: View;
  onZoom(view: View): void;
  frame(): { w: number; h: number };
}

export function StageBar({ measuring, compare, zoom, onZoom, frame }: Props) {
  return (
    <div className="row wrap stage-bar">
      <button type="button" className="secondary" aria-pressed={measuring.active} onClick={measuring.toggle}>
        {measuring.active ? "Done measuring" : "Measure"}
      </button>
      <button type="button" className="secondary" aria-pressed={compare.open} onClick={() => compare.setOpen(!compare.open)}>
        {compare.open ? "Stop comparing" : "Line up with another video"}
      </button>
      <ZoomButtons view={zoom} onView={onZoom} frame={frame} />
    </div>
  );
}
