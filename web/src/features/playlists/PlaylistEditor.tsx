// Build a playlist: its title and who sees it, exercises with sets/reps/time/rest,
// reordered by drag (or the arrows); run it, duplicate it, delete it.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api, call, type Playlist, type PlaylistItem } from "../../api/client";
import { Empty, ErrorNote, Loading } from "../../components/ui";
import { useAuth } from "../../lib/auth";
import { allOnFields, fieldErrors } from "../../api/fieldErrors";
import { ITEM_LABELS, PlaylistItemRow, type ItemChange } from "./PlaylistItemRow";
import { moved } from "./reorder";
import { exercisePickerQuery } from "../library/api";
import { playlistKeys, playlistQuery } from "./api";
import { usePageTitle } from "../../lib/title";

type Visibility = Playlist["visibility"];

export function PlaylistEditor() {
  const { playlistId = "" } = useParams();
  const { me } = useAuth();
  const client = useQueryClient();
  const navigate = useNavigate();
  const key = playlistKeys.one(playlistId);
  const path = { params: { path: { playlist_id: playlistId } } };
  const playlist = useQuery(playlistQuery(playlistId));
  usePageTitle(playlist.data?.title);
  const exercises = useQuery(exercisePickerQuery());
  const [adding, setAdding] = useState("");
  const [dragging, setDragging] = useState<number | null>(null);
  const saved = (p: Playlist) => {
    client.setQueryData(key, p);
    void client.invalidateQueries({ queryKey: playlistKeys.lists() });
  };

  const details = useMutation({
    mutationFn: (change: { title?: string; description?: string; visibility?: Visibility }) =>
      call(api.PATCH("/api/v1/playlists/{playlist_id}", { ...path, body: change })),
    onSuccess: saved,
  });
  const add = useMutation({
    mutationFn: (exerciseId: string) =>
      call(api.POST("/api/v1/playlists/{playlist_id}/items", { ...path, body: { exercise_id: exerciseId, sets: 3, reps: 10, rest_s: 60 } })),
    onSuccess: (p, exerciseId) => {
      saved(p);
      // The next exercise may already be picked while this one was being added: keep it.
      setAdding((current) => (current === exerciseId ? "" : current));
    },
  });
  const update = useMutation({
    mutationFn: ({ item, change }: { item: PlaylistItem; change: ItemChange }) =>
      call(
        api.PATCH("/api/v1/playlists/{playlist_id}/items/{item_id}", {
          params: { path: { playlist_id: playlistId, item_id: item.id } },
          body: change,
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
    mutationFn: (items: PlaylistItem[]) =>
      call(api.PUT("/api/v1/playlists/{playlist_id}/order", { ...path, body: { item_ids: items.map((i) => i.id) } })),
    // Show the new order at once; put the old one back if the service refuses.
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
      void client.invalidateQueries({ queryKey: playlistKeys.lists() });
      navigate(`/playlists/${p.id}`);
    },
  });
  const destroy = useMutation({
    mutationFn: () => call(api.DELETE("/api/v1/playlists/{playlist_id}", path)),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: playlistKeys.lists() });
      navigate("/playlists");
    },
  });

  if (playlist.isLoading) return <Loading />;
  if (!playlist.data) return <ErrorNote error={playlist.error} retry={() => playlist.refetch()} />;
  const p = playlist.data;
  const mine = p.owner_id === me?.id;
  const items = p.items;
  // A refused item change shows next to its field; anything else in the general note.
  const itemErrors = fieldErrors(update.error, ITEM_LABELS);
  const updateNote = allOnFields(update.error, ITEM_LABELS) ? null : update.error;
  const error = details.error ?? add.error ?? updateNote ?? remove.error ?? reorder.error ?? duplicate.error ?? destroy.error;
  return (
    <section aria-labelledby="playlist-title">
      <div className="row spread wrap">
        <h1 id="playlist-title">{p.title}</h1>
        <div className="row wrap">
          <Link className="button" to={`/playlists/${p.id}/run`}>
            Run
          </Link>
          <button type="button" className="secondary" onClick={() => duplicate.mutate()} disabled={duplicate.isPending}>
            Duplicate
          </button>
          {mine && (
            <button type="button" className="secondary" onClick={() => window.confirm(`Delete “${p.title}”?`) && destroy.mutate()}>
              Delete
            </button>
          )}
        </div>
      </div>
      {mine ? (
        <div className="card row wrap playlist-details">
          <label className="inline grow">
            Title
            <input
              key={p.title}
              defaultValue={p.title}
              maxLength={200}
              onBlur={(e) => e.target.value.trim() && e.target.value !== p.title && details.mutate({ title: e.target.value.trim() })}
            />
          </label>
          <label className="inline">
            Who can see it
            <select value={p.visibility} onChange={(e) => details.mutate({ visibility: e.target.value as Visibility })}>
              <option value="private">Me and my learners</option>
              <option value="link">People with the link</option>
              <option value="public">Everyone</option>
            </select>
          </label>
        </div>
      ) : (
        p.description && <p className="muted">{p.description}</p>
      )}
      <ErrorNote error={error} />
      {items.length === 0 && <Empty>No exercises in this playlist yet{mine ? ": add one below." : "."}</Empty>}
      <ol className="playlist-items">
        {items.map((item, index) => (
          <PlaylistItemRow
            key={item.id}
            item={item}
            title={item.exercise?.title ?? "Exercise"}
            index={index}
            count={items.length}
            editable={mine}
            dragging={dragging === index}
            onChange={(change) => update.mutate({ item, change })}
            errors={update.variables?.item.id === item.id ? itemErrors : undefined}
            onMove={(to) => reorder.mutate(moved(items, index, to))}
            onRemove={() => remove.mutate(item)}
            onDragStart={() => setDragging(index)}
            onDrop={() => {
              if (dragging !== null && dragging !== index) reorder.mutate(moved(items, dragging, index));
              setDragging(null);
            }}
          />
        ))}
      </ol>
      {mine && (
        <form
          className="row wrap"
          onSubmit={(e) => {
            e.preventDefault();
            if (adding) add.mutate(adding);
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
