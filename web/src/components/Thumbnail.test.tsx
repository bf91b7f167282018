import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { Video } from "../api/client";
import { Thumbnail } from "./Thumbnail";
import { VideoStatus } from "./ui";

afterEach(cleanup);

const video = (fields: Partial<Video>): Video =>
  ({
    id: "v1",
    status: "ready",
    failure_reason: null,
    duration_ms: 83_000,
    poster_url: "/media/files/videos/v1/poster.jpg?sig=1",
    sprite_url: "/media/files/videos/v1/sprite.jpg?sig=1",
    sprite_index: { interval_ms: 1000, count: 84, columns: 10, rows: 9, tile_width: 160, tile_height: 90 },
    processing_progress: null,
    processing_eta_seconds: null,
    ...fields,
  }) as Video;

describe("Thumbnail", () => {
  it("is a lazy, pre-sized poster with the video's length", () => {
    render(<Thumbnail video={video({})} width={160} />);
    const img = screen.getByRole("presentation") as HTMLImageElement;
    expect(img.getAttribute("loading")).toBe("lazy");
    expect([img.getAttribute("width"), img.getAttribute("height")]).toEqual(["160", "90"]);
    expect(screen.getByText("1:23")).toBeTruthy();
  });

  it("scrubs through the sprite under the pointer", () => {
    render(<Thumbnail video={video({})} width={160} />);
    const box = screen.getByTestId("thumbnail");
    box.getBoundingClientRect = () => ({ left: 0, width: 160, top: 0, height: 90, right: 160, bottom: 90, x: 0, y: 0, toJSON: () => ({}) });
    fireEvent.mouseMove(box, { clientX: 80 }); // half-way: 41.5 s, tile 41 (row 4, column 1)
    const scrub = box.querySelector(".thumbnail-scrub") as HTMLElement;
    expect(scrub.style.backgroundPosition).toBe("-160px -360px");
    expect(screen.getByText("0:42")).toBeTruthy();
    fireEvent.mouseLeave(box);
    expect(box.querySelector(".thumbnail-scrub")).toBeNull();
  });

  it("has a placeholder before the video is ready", () => {
    render(<Thumbnail video={video({ status: "processing", poster_url: null, sprite_url: null, duration_ms: null })} />);
    expect(screen.queryByRole("presentation")).toBeNull();
  });
});

describe("VideoStatus", () => {
  it("shows how far processing got and the time left", () => {
    render(<VideoStatus video={video({ status: "processing", processing_progress: 0.42, processing_eta_seconds: 20 })} />);
    expect(screen.getByTestId("video-status").textContent).toBe("Processing 42% · about 20 s left");
  });
});
