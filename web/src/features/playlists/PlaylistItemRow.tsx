// One exercise in a playlist being built: its prescription (saved when a field is left),
// notes, and moving it up, down or out.
import { useState } from "react";
import type { PlaylistItem } from "../../api/client";
import { Thumbnail } from "../../components/Thumbnail";

export const ITEM_LABELS = { sets: "Sets", reps: "Reps", duration_s: "Time", rest_s: "Rest", notes: "Notes" };

const FIELDS = [
  { key: "sets", label: "sets" },
  { key: "reps", label: "reps" },
  { key: "duration_s", label: "time (s)" },
  { key: "rest_s", label: "rest (s)" },
] as const;

export type ItemChange = Partial<Pick<PlaylistItem, "sets" | "reps" | "duration_s" | "rest_s" | "notes">>;

interface Props {
  item: PlaylistItem;
  title: string;
  index: number;
  count: number;
  editable: boolean;
  dragging: boolean;
  onChange(change: ItemChange): void;
  onMove(to: number): void;
  onRemove(): void;
  onDragStart(): void;
  onDrop(): void;
  /** What the service refused in this item's last change, by field, in words. */
  errors?: Record<string, string>;
}

export function PlaylistItemRow({ item, title, index, count, editable, dragging, onChange, onMove, onRemove, onDragStart, onDrop, errors = {} }: Props) {
  const [notes, setNotes] = useState(item.notes);
  return (
    <li
      draggable={editable}
      onDragStart={onDragStart}
      onDragOver={(e) => editable && e.preventDefault()}
      onDrop={onDrop}
      className={dragging ? "dragging" : undefined}
    >
      {editable && (
        <span className="grip" aria-hidden title="Drag to reorder">
          ⠿
        </span>
      )}
      <Thumbnail video={item.exercise?.reference_video} width={112} />
      <strong className="item-title">
        {index + 1}. {title}
      </strong>
      {FIELDS.map(({ key, label }) => (
        <label key={key} className="inline">
          {label}
          <input
            type="number"
            min={key === "rest_s" ? 0 : 1}
            inputMode="numeric"
            disabled={!editable}
            defaultValue={item[key] ?? ""}
            aria-label={`${label} for ${title}`}
            aria-invalid={errors[key] ? true : undefined}
            onBlur={(e) => {
              const value = e.target.value === "" ? null : Number(e.target.value);
              if (value !== item[key]) onChange({ [key]: value });
            }}
          />
          {errors[key] && (
            <small className="field-error" role="alert">
              {errors[key]}
            </small>
          )}
        </label>
      ))}
      <input
        className="item-notes"
        aria-label={`Notes for ${title}`}
        placeholder="Notes: tempo, cues…"
        disabled={!editable}
        maxLength={2000}
        value={notes}
        onChange={(e) => setNotes(e.target.value)}
        onBlur={() => notes !== item.notes && onChange({ notes })}
      />
      {editable && (
        <span className="row">
          <button type="button" className="link" aria-label={`Move ${title} up`} disabled={index === 0} onClick={() => onMove(index - 1)}>
            ↑
          </button>
          <button type="button" className="link" aria-label={`Move ${title} down`} disabled={index === count - 1} onClick={() => onMove(index + 1)}>
            ↓
          </button>
          <button type="button" className="link" onClick={onRemove}>
            Remove
          </button>
        </span>
      )}
    </li>
  );
}
