// Where the picture sits inside the player's frame (letterboxed by its aspect), followed
// as the layout changes: the canvases drawn over the video (drawings, the skeleton) use it.
import { useEffect, useState, type RefObject } from "react";
import { pictureBox, type Box } from "./drawing";

export function usePictureBox(canvas: RefObject<HTMLCanvasElement | null>, aspect: number | null): Box | null {
  const [box, setBox] = useState<Box | null>(null);
  useEffect(() => {
    const frame = canvas.current?.parentElement;
    if (!frame) return;
    const fit = () => setBox(pictureBox(frame.clientWidth, frame.clientHeight, aspect));
    fit();
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(fit);
    observer.observe(frame);
    return () => observer.disconnect();
  }, [canvas, aspect]);
  return box;
}
