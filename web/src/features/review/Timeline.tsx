// The review timeline: comment ranges as marks, the playhead, drag to select a range,
// and scrub thumbnails from the sprite on hover. The track is the slider; the marks sit
// beside it (not inside), so each is its own button for keyboard and screen readers.
import { useRef, useState, type PointerEvent } from "react";
import type { Comment } from "../../api/client";
import { formatMs, formatPrecise } from "../../lib/time";
import { dragRange, layoutMarks, msToPct, pxToMs, spriteTile, type Range, type SpriteIndex } from "../../lib/timeline";

interface Props {
  duration: number;
  current: number;
  comments: Comment[];
  selection: Range | null;
  sprite?: { url: string; index: SpriteIndex };
  activeId?: string | null;
  onSelect(range: Range): void;
  onSeek(ms: number): void;
  onPick(comment: Comment): void;
}

const ROW_PX = 10;

export function Timeline({ duration, current, comments, selection, sprite, activeId, onSelect, onSeek, onPick }: Props) {
  const track = useRef<HTMLDivElement>(null);
  const dragFrom = useRef<number | null>(null);
  const [hover, setHover] = useState<{ x: number; ms: number } | null>(null);
  const at = (e: PointerEvent) => {
    const rect = track.current!.getBoundingClientRect();
    return { x: e.clientX - rect.left, ms: pxToMs(e.clientX - rect.left, rect.width, duration) };
  };
  const marks = layoutMarks(
    comments.filter((c) => !c.deleted_at).map((c) => ({ ...c, start: c.t_start_ms, end: c.t_end_ms })),
  );
  const rows = Math.max(1, ...marks.map((m) => m.row + 1));
  const tile = hover && sprite ? spriteTile(sprite.index, hover.ms) : null;
  return (
    <div className="timeline-wrap">
      <div className="timeline" style={{ height: `${28 + rows * ROW_PX}px` }} data-testid="timeline">
        <div
          ref={track}
          className="track"
          role="slider"
          aria-label="Timeline: drag to select a range, click to seek"
          aria-valuemin={0}
          aria-valuemax={Math.round(duration)}
          aria-valuenow={Math.round(current)}
          aria-valuetext={formatPrecise(current)}
          tabIndex={0}
          onKeyDown={(e) => {
            // ← → step a frame (the review screen's shortcuts); these are the big moves.
            const to = { PageUp: current + 1000, PageDown: current - 1000, Home: 0, End: duration }[e.key];
            if (to === undefined) return;
            e.preventDefault();
            onSeek(Math.min(duration, Math.max(0, to)));
          }}
          onPointerDown={(e) => {
            track.current!.setPointerCapture(e.pointerId);
            dragFrom.current = at(e).ms;
          }}
          onPointerMove={(e) => {
            const p = at(e);
            setHover(p);
            if (dragFrom.current !== null) onSelect(dragRange(dragFrom.current, p.ms));
          }}
          onPointerUp={(e) => {
            if (dragFrom.current === null) return;
            const range = dragRange(dragFrom.current, at(e).ms);
            dragFrom.current = null;
            onSelect(range);
            onSeek(range.start);
          }}
          onPointerLeave={() => setHover(null)}
        />
        {selection && selection.end > selection.start && (
          <div
            className="selection"
            style={{ left: `${msToPct(selection.start, duration)}%`, width: `${msToPct(selection.end - selection.start, duration)}%` }}
          />
        )}
        {marks.map((m) => (
          <button
            key={m.id}
            type="button"
            className={`mark kind-${m.kind ?? "note"}${m.id === activeId ? " active" : ""}`}
            style={{
              left: `${msToPct(m.start, duration)}%`,
              width: `max(6px, ${msToPct(m.end - m.start, duration)}%)`,
              top: `${4 + m.row * ROW_PX}px`,
            }}
            title={`${formatMs(m.start)}–${formatMs(m.end)} ${m.author.display_name}: ${m.body}`}
            aria-label={`Comment at ${formatMs(m.start)} by ${m.author.display_name}`}
            onClick={() => onPick(m)}
          />
        ))}
        <div className="playhead" style={{ left: `${msToPct(current, duration)}%` }} />
        {hover && (
          <div className="thumb" style={{ left: hover.x }} aria-hidden>
            {sprite && tile && (
              <div
                className="thumb-image"
                style={{
                  width: sprite.index.tile_width,
                  height: sprite.index.tile_height,
                  backgroundImage: `url(${sprite.url})`,
                  backgroundPosition: `-${tile.x}px -${tile.y}px`,
                }}
              />
            )}
            <span>{formatPrecise(hover.ms)}</span>
          </div>
        )}
      </div>
      <div className="row spread muted small" aria-hidden>
        <span>{formatMs(0)}</span>
        <span>{formatMs(duration)}</span>
      </div>
    </div>
  );
}
