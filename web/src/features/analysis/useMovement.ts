// The movement analysis of the video under review (and of its reference, to compare):
// the queries, and the player's analysis toggles.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { alignmentQuery, analysisQuery, departuresQuery, poseQuery, repsQuery } from "./api";

export function useMovement(videoId: string | undefined, referenceId: string | null | undefined) {
  const id = videoId ?? "";
  const ref = referenceId && referenceId !== videoId ? referenceId : "";
  const state = useQuery({ ...analysisQuery(id), enabled: !!id });
  const refState = useQuery({ ...analysisQuery(ref), enabled: !!ref });
  const done = state.data?.status === "done";
  const refDone = refState.data?.status === "done";
  const pose = useQuery({ ...poseQuery(id), enabled: done });
  const refPose = useQuery({ ...poseQuery(ref), enabled: refDone });
  const alignment = useQuery({ ...alignmentQuery(id, ref), enabled: done && refDone });
  const departures = useQuery({ ...departuresQuery(id, ref), enabled: done && refDone });
  const reps = useQuery({ ...repsQuery(id), enabled: done });
  const [skeleton, setSkeleton] = useState(false);
  const [ghost, setGhost] = useState(false);
  // Aligned compare is opt-in: plain side by side (same clock) stays the default.
  const [aligned, setAligned] = useState(false);
  const [joints, setJoints] = useState<string[]>(["left_knee", "left_hip"]);
  return {
    state,
    refState,
    pose: pose.data,
    refPose: refPose.data,
    alignment: alignment.data,
    departures: departures.data,
    reps: reps.data,
    canCompare: done && refDone,
    skeleton,
    setSkeleton,
    ghost: ghost && !!alignment.data && !!refPose.data,
    setGhost,
    aligned: aligned && !!alignment.data,
    setAligned,
    joints,
    setJoints,
  };
}

export type Movement = ReturnType<typeof useMovement>;
