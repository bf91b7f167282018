// Lining two videos up: pick the compared video (the reference or another attempt of the
// thread), put each on its sync moment, lock them, and choose how they show.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState, type RefObject } from "react";
import { useVideo } from "../../../lib/media";
import { formatMs } from "../../../lib/time";
import { frameStep } from "../../../lib/timeline";
import { attemptsQuery } from "../../threads/api";
import type { Compare, Mode } from "./useCompare";

interface Props {
  compare: Compare;
  threadId: string;
  referenceId: string | null;
  /** The reviewed video: it is not offered as its own comparison. */
  videoId: string | undefined;
  other: RefObject<HTMLVideoElement | null>;
  /** The reviewed video's time now. */
  now(): number;
}

const MODES: { mode: Mode; label: string }[] = [
  { mode: "side", label: "Side by side" },
  { mode: "overlay", label: "Overlay" },
  { mode: "swipe", label: "Swipe" },
];

export function ComparePanel({ compare, threadId, referenceId, videoId, other, now }: Props) {
  const attempts = useQuery(attemptsQuery(threadId));
  const { view } = compare;
  const facts = useVideo(view.other_video_id);
  const [otherMs, setOtherMs] = useState(0);
  const options = [
    ...(referenceId && referenceId !== videoId ? [{ id: referenceId, label: "Reference video" }] : []),
    ...(attempts.data?.items ?? [])
      .filter((a) => a.video.id !== videoId && a.video.status === "ready")
      .map((a) => ({ id: a.video.id, label: `Attempt of ${new Date(a.recorded_at ?? a.created_at).toLocaleString()}` })),
  ];
  // Start on the reference (or the newest other attempt) when nothing is chosen yet.
  useEffect(() => {
    if (compare.open && !view.other_video_id && options[0]) compare.change({ other_video_id: options[0].id });
  }, [compare.open, view.other_video_id, options[0]?.id]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    const o = other.current;
    if (!o) return;
    const track = () => setOtherMs(Math.round(o.currentTime * 1000));
    track();
    o.addEventListener("timeupdate", track);
    o.addEventListener("seeked", track);
    return () => {
      o.removeEventListener("timeupdate", track);
      o.removeEventListener("seeked", track);
    };
  });
  const seekOther = (ms: number) => {
    const o = other.current;
    if (!o) return;
    o.pause();
    o.currentTime = ms / 1000;
    setOtherMs(ms);
  };
  const otherLength = facts.data?.duration_ms ?? 0;
  return (
    <section className="card compare-panel" aria-label="Compare">
      <div className="row wrap">
        <label>
          Compare with{" "}
          <select value={view.other_video_id ?? ""} onChange={(e) => compare.change({ other_video_id: e.target.value || null })}>
            {!options.length && <option value="">no other video yet</option>}
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <span role="radiogroup" aria-label="Compare mode" className="row">
          {MODES.map(({ mode, label }) => (
            <label key={mode} className="toggle">
              <input type="radio" name="compare-mode" checked={view.mode === mode} onChange={() => compare.change({ mode })} /> {label}
            </label>
          ))}
        </span>
        {view.mode === "overlay" && (
          <label>
            Opacity{" "}
            <input
              type="range"
              aria-label="Overlay opacity"
              min={0}
              max={1}
              step={0.05}
              value={view.opacity}
              onChange={(e) => compare.change({ opacity: Number(e.target.value) })}
            />{" "}
            {Math.round(view.opacity * 100)}%
          </label>
        )}
        {view.mode === "swipe" && (
          <>
            <select aria-label="Swipe direction" value={view.swipe} onChange={(e) => compare.change({ swipe: e.target.value as "horizontal" | "vertical" })}>
              <option value="horizontal">left / right</option>
              <option value="vertical">top / bottom</option>
            </select>
            <input
              type="range"
              aria-label="Swipe position"
              min={0}
              max={1}
              step={0.01}
              value={view.split}
              onChange={(e) => compare.change({ split: Number(e.target.value) })}
            />
          </>
        )}
        <button type="button" className="link" onClick={() => compare.setOpen(false)}>
          Close compare
        </button>
      </div>
      {compare.locked ? (
        <p className="row wrap small" data-testid="sync-state">
          Locked: {formatMs(view.sync_ms)} here = {formatMs(view.other_sync_ms)} there.
          <button type="button" className="secondary" onClick={() => compare.setLocked(false)}>
            Pick sync points
          </button>
        </p>
      ) : (
        <div className="row wrap small" data-testid="sync-state">
          <span>Put this video on the moment (scrub, step), and the compared one on the same moment:</span>
          <button type="button" className="secondary" aria-label="Compared video: back one frame" onClick={() => seekOther(frameStep(otherMs, facts.data?.fps, -1))}>
            ◀
          </button>
          <input
            type="range"
            aria-label="Compared video position"
            min={0}
            max={otherLength}
            step={1}
            value={Math.min(otherMs, otherLength)}
            onChange={(e) => seekOther(Number(e.target.value))}
          />
          <button type="button" className="secondary" aria-label="Compared video: forward one frame" onClick={() => seekOther(frameStep(otherMs, facts.data?.fps, 1))}>
            ▶
          </button>
          <output data-testid="compared-time">{formatMs(otherMs)}</output>
          <button
            type="button"
            onClick={() => {
              compare.change({ sync_ms: Math.round(now()), other_sync_ms: otherMs });
              compare.setLocked(true);
            }}
          >
            Line up here
          </button>
        </div>
      )}
      <label className="toggle small">
        <input type="checkbox" checked={compare.attach} disabled={!compare.saved} onChange={(e) => compare.setAttach(e.target.checked)} /> Save this
        compare view with my comment
      </label>
    </section>
  );
}
