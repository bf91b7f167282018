// The voice-over controls on the review screen: Record/Stop while the coach works the
// player, and the thread's voice-over reviews to replay (the voice drives the player)
// or to download as one MP4 rendered by the worker.
import type { Comment } from "../../../api/client";
import { ErrorNote } from "../../../components/ui";
import { usePlayback } from "../../../lib/media";
import { formatMs } from "../../../lib/time";
import { ExportLink } from "./ExportLink";
import type { useVoiceOverPlayback } from "./useVoiceOverPlayback";
import type { useVoiceOverRecorder } from "./useVoiceOverRecorder";

interface Props {
  recorder: ReturnType<typeof useVoiceOverRecorder>;
  playback: ReturnType<typeof useVoiceOverPlayback>;
  reviews: Comment[];
  canRecord: boolean;
}

export function VoiceOverPanel({ recorder, playback, reviews, canRecord }: Props) {
  const { phase } = recorder;
  return (
    <div className="card voiceover" aria-label="Voice-over reviews">
      <div className="row spread wrap">
        <h2>Voice-over</h2>
        {canRecord &&
          (phase === "recording" ? (
            <span className="row">
              <span className="recording-dot" aria-hidden="true" />
              <span role="timer" aria-label="Voice-over recorded so far" data-testid="voiceover-time">
                {formatMs(recorder.elapsed * 1000).split(".")[0]}
              </span>
              <button type="button" className="danger" onClick={() => void recorder.stop()}>
                Stop voice-over
              </button>
            </span>
          ) : (
            <button type="button" disabled={phase === "starting" || phase === "saving" || !!playback.review} onClick={() => void recorder.start()}>
              Record voice-over
            </button>
          ))}
      </div>
      {phase === "recording" && (
        <p className="muted small">Talk while you play, pause, step, slow down and draw: all of it is recorded with your voice.</p>
      )}
      {phase === "saving" && (
        <p className="muted small" role="status">
          Saving the voice-over…
        </p>
      )}
      {recorder.error && <ErrorNote error={new Error(recorder.error)} />}
      {reviews.length === 0 ? (
        <p className="muted small">No voice-over reviews yet.</p>
      ) : (
        <ul className="plain">
          {reviews.map((r) => (
            <li key={r.id} className="row wrap">
              {playback.review?.id === r.id ? (
                <>
                  <ActiveVoice review={r} attach={playback.attach} />
                  <button type="button" className="small secondary" onClick={playback.stop}>
                    Stop replay
                  </button>
                </>
              ) : (
                <button type="button" className="small" disabled={phase === "recording"} onClick={() => playback.play(r)}>
                  Play voice-over by {r.author.display_name}
                </button>
              )}
              <span className="muted small">
                {formatMs(r.t_start_ms)}–{formatMs(r.t_end_ms)}
              </span>
              <ExportLink target={{ commentId: r.id }} label="review MP4" />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ActiveVoice({ review, attach }: { review: Comment; attach: (el: HTMLAudioElement | null) => void }) {
  const voice = usePlayback(review.media_video_id, true);
  if (!voice.data) return <span className="muted small">Loading the voice…</span>;
  return <audio ref={attach} data-testid="voiceover-audio" src={voice.data.rendition_url} autoPlay controls aria-label="Voice-over" />;
}
