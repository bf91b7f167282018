"""The poster and the scrub sprite: taken from the rendition's frames as they pass (so
they are upright and scaled like it), then written as JPEGs with the sprite's index."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image

from practika.media.probe import MediaRejected

SPRITE_COLUMNS = 10
SPRITE_MAX_TILES = 100
SPRITE_TILE_SIZE = 160  # tiles fit a square this big, portrait or landscape
AUDIO_POSTER_SIZE = (320, 180)


def even_down(value: Fraction) -> int:
    """Rounded down to even (H.264 in 4:2:0 needs even sides), so never above `value`."""
    return max(2, int(value) // 2 * 2)


def scaled(width: int, height: int, scale: Fraction) -> tuple[int, int]:
    """Scaled down (never up), kept even; exact, so 1920 * 720/1080 is 1280, not 1278."""
    scale = min(Fraction(1), scale)
    return even_down(width * scale), even_down(height * scale)


def tile_size(width: int, height: int) -> tuple[int, int]:
    """A sprite tile: the picture fitted into a 160-px square, so a portrait tile is no
    bigger than a landscape one (the web timeline shows tiles at this size)."""
    return scaled(width, height, Fraction(SPRITE_TILE_SIZE, max(width, height)))


def sprite_interval_ms(duration_ms: int) -> int:
    """One tile a second, fewer for long videos so the sprite stays at most 100 tiles."""
    interval = max(1000, math.ceil(duration_ms / SPRITE_MAX_TILES))
    return int(math.ceil(interval / 100) * 100)


class Stills:
    """The poster (the frame at one second, or at a quarter of a shorter clip) and the
    sprite's tiles (one an interval), taken from the frames as they pass."""

    def __init__(self, duration_ms: int, tile_w: int, tile_h: int) -> None:
        self.interval = sprite_interval_ms(duration_ms)
        self.count = min(SPRITE_MAX_TILES, duration_ms // self.interval + 1)
        self.poster_at = min(1000, duration_ms // 4)
        self.tile_w, self.tile_h = tile_w, tile_h
        self.tiles: list[Image.Image] = []
        self.poster_frame: Image.Image | None = None

    def take(self, frame: av.VideoFrame, ms: float) -> None:
        if self.poster_frame is None and ms >= self.poster_at:
            self.poster_frame = frame.to_image()
        while len(self.tiles) < self.count and ms >= len(self.tiles) * self.interval:
            tile = frame.to_image().resize((self.tile_w, self.tile_h), Image.Resampling.BILINEAR)
            self.tiles.append(tile)

    def poster(self) -> Image.Image:
        """The poster, or the first tile where the clip ended before the poster's time."""
        if self.poster_frame is not None:
            return self.poster_frame
        if self.tiles:
            return self.tiles[0]
        raise MediaRejected("No picture could be decoded from the video stream.")

    def save(self, out_dir: Path, poster: Image.Image) -> tuple[Path, Path, dict[str, int]]:
        """The poster and the sprite sheet written as JPEGs, and the sprite's index."""
        tiles = self.tiles
        while len(tiles) < self.count:  # a gap at the end (variable frame rate): repeat the last
            tiles.append(tiles[-1])
        poster_path = out_dir / "poster.jpg"
        poster.save(poster_path, "JPEG", quality=85)
        columns = min(SPRITE_COLUMNS, len(tiles))
        rows = math.ceil(len(tiles) / columns)
        sheet = Image.new("RGB", (columns * self.tile_w, rows * self.tile_h))
        for i, tile in enumerate(tiles):
            sheet.paste(tile, ((i % columns) * self.tile_w, (i // columns) * self.tile_h))
        sprite_path = out_dir / "sprite.jpg"
        sheet.save(sprite_path, "JPEG", quality=75)
        grid = (len(tiles), columns, rows)
        return poster_path, sprite_path, sprite_index(self.interval, grid, self.tile_w, self.tile_h)


def sprite_index(
    interval_ms: int, grid: tuple[int, int, int], tile_w: int, tile_h: int
) -> dict[str, int]:
    """What the web timeline needs to find a tile: `grid` is (count, columns, rows)."""
    count, columns, rows = grid
    return {
        "interval_ms": interval_ms,
        "count": count,
        "columns": columns,
        "rows": rows,
        "tile_width": tile_w,
        "tile_height": tile_h,
    }


def save_audio_stills(out_dir: Path, duration_ms: int) -> tuple[Path, Path, dict[str, int]]:
    """A clip of audio alone: a plain poster and a one-tile sprite, so it lists like any
    other clip."""
    poster = Image.new("RGB", AUDIO_POSTER_SIZE, (24, 28, 36))
    poster_path, sprite_path = out_dir / "poster.jpg", out_dir / "sprite.jpg"
    poster.save(poster_path, "JPEG", quality=85)
    tile_w, tile_h = tile_size(*AUDIO_POSTER_SIZE)
    poster.resize((tile_w, tile_h)).save(sprite_path, "JPEG", quality=75)
    index = sprite_index(max(1, duration_ms), (1, 1, 1), tile_w, tile_h)
    return poster_path, sprite_path, index
