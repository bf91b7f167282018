// Open a video at the moment a link names (?t=<ms>, as notifications link to feedback).
import { useEffect, useRef } from "react";
import { useSearchParams } from "react-router";

/** Once the player knows its duration (`ready`), seek to ?t= a single time. */
export function useStartAt(seek: (ms: number) => void, ready: boolean) {
  const [params] = useSearchParams();
  const t = Number(params.get("t"));
  const done = useRef<string | null>(null);
  const key = params.get("t");
  useEffect(() => {
    if (!ready || key === null || !Number.isFinite(t) || t < 0 || done.current === key) return;
    done.current = key;
    seek(t);
  }, [ready, key, t, seek]);
}
