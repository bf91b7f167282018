// The drawing tools, over the picture itself while drawing: they stay next to what is
// drawn on instead of scrolling away with the comment form.
import type { DrawingControls } from "./CommentForm";
import { COLORS, TOOLS } from "./drawing";

export function DrawingTools({ draw }: { draw: DrawingControls }) {
  const shapes = draw.drawing?.shapes?.length ?? 0;
  return (
    <div className="draw-tools" role="toolbar" aria-label="Drawing tools">
      {TOOLS.map(({ tool, label }) => (
        <button key={tool} type="button" className="tool" aria-pressed={draw.tool === tool} onClick={() => draw.setTool(tool)}>
          {label}
        </button>
      ))}
      <span className="divider" aria-hidden />
      {COLORS.map((color) => (
        <button
          key={color}
          type="button"
          className="swatch"
          style={{ background: color }}
          aria-label={`Colour ${color}`}
          aria-pressed={draw.color === color}
          onClick={() => draw.setColor(color)}
        />
      ))}
      <span className="divider" aria-hidden />
      <button type="button" className="tool" disabled={!shapes} onClick={draw.clear}>
        Clear
      </button>
      <button type="button" className="tool done" onClick={draw.toggle}>
        Done
      </button>
    </div>
  );
}
