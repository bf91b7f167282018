// A video's poster as a list thumbnail: lazy-loaded, sized up front (no layout shift),
// with its duration, and on a desktop pointer a scrub through the sprite sheet.
import { useState, type MouseEvent } from "react";
import type { Video } from "../api/client";
import { type SpriteIndex, spriteTile } from "../lib/timeline";
import { formatClock } from "../lib/time";

interface Props {
  video: Video | null | undefined;
  /** CSS width in px; the height follows at 16:9. */
  width?: number;
  label?: string;
}

export function Thumbnail({ video, width = 160, label }: Props) {
  const [scrubMs, setScrubMs] = useState<number | null>(null);
  const height = Math.round((width * 9) / 16);
  const index = video?.sprite_index as SpriteIndex | null | undefined;
  const duration = video?.duration_ms ?? null;
  const canScrub = !!(video?.sprite_url && index && duration && index.count > 1);
  const onMove = (e: MouseEvent<HTMLDivElement>) => {
    if (!canScrub) return;
    const box = e.currentTarget.getBoundingClientRect();
    const share = Math.min(1, Math.max(0, (e.clientX - box.left) / box.width));
    setScrubMs(share * duration!);
  };
  let scrub = null;
  if (canScrub && scrubMs !== null) {
    const scale = width / index!.tile_width;
    const tile = spriteTile(index!, scrubMs);
    scrub = (
      <div
        className="thumbnail-scrub"
        aria-hidden="true"
        style={{
          height: index!.tile_height * scale,
          backgroundImage: `url(${video!.sprite_url})`,
          backgroundSize: `${index!.columns * index!.tile_width * scale}px auto`,
          backgroundPosition: `-${tile.x * scale}px -${tile.y * scale}px`,
        }}
      />
    );
  }
  return (
    <div
      className="thumbnail"
      style={{ width, height }}
      onMouseMove={onMove}
      onMouseLeave={() => setScrubMs(null)}
      data-testid="thumbnail"
    >
      {video?.poster_url ? (
        <img src={video.poster_url} alt={label ?? ""} loading="lazy" decoding="async" width={width} height={height} />
      ) : (
        <span className="thumbnail-empty" aria-hidden="true">
          ▶
        </span>
      )}
      {scrub}
      {duration ? <span className="duration">{formatClock(scrubMs ?? duration)}</span> : null}
    </div>
  );
}
