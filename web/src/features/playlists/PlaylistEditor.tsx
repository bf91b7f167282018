import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api, call, type Playlist, type PlaylistItem } from "../../api/client";
import { Empty, ErrorNote, Loading } from "../../components/ui";
import { useAuth } from "../../lib/auth";

/** Move the item at `from` to `to` (drag and drop, or the arrow buttons). */
export function moved<T>(items: T[], from: number, to: number): T[] {
  const next = [...items];
  const [item] = next.splice(from, 1);
  next.splice(Math.max(0, Math.min(next.length, to)), 0, item);
  return next;
}

export function PlaylistEditor() {
  const { playlistId = "" } = useParams();
  const { me } = useAuth();
  const client = useQueryClient();
  const navigate = useNavigate();
  const key = ["playlist", playlistId];
  const playlist = useQuery({
    queryKey: key,
    queryFn: () => call(api.GET("/api/v1/playlists/{playlist_id}", { params: { path: { playlist_id: playlistId } } })),
  });
  const exercises = useQuery({
    queryKey: ["exercises", "picker"],
    queryFn: () => call(api.GET("/api/v1/exercises", { params: { query: { limit: 100 } } })),
  });
  const [adding, setAdding] = useState("");
  const [dragging, setDragging] = useState<number | null>(null);
  const saved = (p: Playlist) => client.setQueryData(key, p);
  const path = { params: { path: { playlist_id: playlistId } } };
  const add = useMutation({
    mutationFn: () => call(api.POST("/api/v1/playlists/{playlist_id}/items", { ...path, body: { exercise_id: adding, sets: 3, reps: 10, rest_s: 60 } })),
    onSuccess: (p) => {
      saved(p);
      setAdding("");
    },
  });
  const update = useMutation({
    mutationFn: ({ item, patch }: { item: PlaylistItem; patch: Partial<PlaylistItem> }) =>
      call(
        api.PATCH("/api/v1/playlists/{playlist_id}/items/{item_id}", {
          params: { path: { playlist_id: playlistId, item_id: item.id } },
          body: patch,
        }),
      ),
    onSuccess: saved,
  });
  const remove = useMutation({
    mutationFn: (item: PlaylistItem) =>
      call(api.DELETE("/api/v1/playlists/{playlist_id}/items/{item_id}", { params: { path: { playlist_id: playlistId, item_id: item.id } } })),
    onSuccess: saved,
  });
  const reorder = useMutation({
    mutationFn: (items: PlaylistItem[]) => call(api.PUT("/api/v1/playlists/{playlist_id}/order", { ...path, body: { item_ids: items.map((i) => i.id) } })),
    onMutate: (items) => {
      const before = client.getQueryData<Playlist>(key);
      if (before) client.setQueryData(key, { ...before, items });
      return { before };
    },
    onError: (_e, _v, ctx) => ctx?.before && client.setQueryData(key, ctx.before),
    onSuccess: saved,
  });
  const duplicate = useMutation({
    mutationFn: () => call(api.POST("/api/v1/playlists/{playlist_id}/duplicate", path)),
    onSuccess: (p) => {
      void client.invalidateQueries({ queryKey: ["playlists"] });
      navigate(`/playlists/${p.id}`);
    },
  });
  if (playlist.isLoading) return <Loading />;
  if (!playlist.data) return <ErrorNote error={playlist.error} retry={() => playlist.refetch()} />;
  const p = playlist.data;
  const mine = p.owner_id === me?.id;
  const titles = new Map(exercises.data?.items.map((e) => [e.id, e.title]));
  const items = p.items;
  return (
    <section aria-labelledby="playlist-title">
      <div className="row spread">
        <h1 id="playlist-title">{p.title}</h1>
        <div className="row">
          <Link className="button" to={`/playlists/${p.id}/run`}>
            Run
          </Link>
          <button type="button" className="secondary" onClick={() => duplicate.mutate()}>
            Duplicate
          </button>
        </div>
      </div>
      <ErrorNote error={add.error ?? update.error ?? remove.error ?? reorder.error ?? duplicate.error} />
      {items.length === 0 && <Empty>No exercises in this playlist yet.</Empty>}
      <ol className="playlist-items">
        {items.map((item, index) => (
          <li
            key={item.id}
            draggable={mine}
            onDragStart={() => setDragging(index)}
            onDragOver={(e) => e.preventDefault()}
            onDrop={() => {
              if (dragging !== null && dragging !== index) reorder.mutate(moved(items, dragging, index));
              setDragging(null);
            }}
            className={dragging === index ? "dragging" : ""}
          >
            {mine && <span className="grip" aria-hidden>⠿</span>}
            <strong>{titles.get(item.exercise_id) ?? "Exercise"}</strong>
            {(["sets", "reps", "duration_s", "rest_s"] as const).map((field) => (
              <label key={field} className="inline">
                {field === "duration_s" ? "time (s)" : field === "rest_s" ? "rest (s)" : field}
                <input
                  type="number"
                  min={0}
                  disabled={!mine}
                  defaultValue={item[field] ?? ""}
                  aria-label={`${field} for ${titles.get(item.exercise_id) ?? "exercise"}`}
                  onBlur={(e) => {
                    const value = e.target.value === "" ? null : Number(e.target.value);
                    if (value !== item[field]) update.mutate({ item, patch: { [field]: value } });
                  }}
                />
              </label>
            ))}
            {mine && (
              <span className="row">
                <button type="button" className="link" aria-label="Move up" disabled={index === 0} onClick={() => reorder.mutate(moved(items, index, index - 1))}>
                  ↑
                </button>
                <button type="button" className="link" aria-label="Move down" disabled={index === items.length - 1} onClick={() => reorder.mutate(moved(items, index, index + 1))}>
                  ↓
                </button>
                <button type="button" className="link" onClick={() => remove.mutate(item)}>
                  Remove
                </button>
              </span>
            )}
          </li>
        ))}
      </ol>
      {mine && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (adding) add.mutate();
          }}
        >
          <select aria-label="Exercise to add" value={adding} onChange={(e) => setAdding(e.target.value)}>
            <option value="">Add an exercise…</option>
            {exercises.data?.items.map((e) => (
              <option key={e.id} value={e.id}>
                {e.title}
              </option>
            ))}
          </select>
          <button type="submit" disabled={!adding || add.isPending}>
            Add
          </button>
        </form>
      )}
    </section>
  );
}
