import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { api, call, type Playlist } from "../../api/client";
import { Thumbnail } from "../../components/Thumbnail";
import { Empty, ErrorNote, Loading } from "../../components/ui";
import { useAuth } from "../../lib/auth";
import { myPlaylistsQuery, playlistKeys, visiblePlaylistsQuery } from "./api";
import { usePageTitle } from "../../lib/title";

export function Playlists() {
  usePageTitle("Playlists");
  const { me } = useAuth();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [title, setTitle] = useState("");
  const mine = useQuery({ ...myPlaylistsQuery(me?.id ?? ""), enabled: !!me });
  const all = useQuery(visiblePlaylistsQuery());
  const create = useMutation({
    mutationFn: () => call(api.POST("/api/v1/playlists", { body: { title: title.trim(), visibility: "private" } })),
    onSuccess: (p) => {
      void client.invalidateQueries({ queryKey: playlistKeys.lists() });
      navigate(`/playlists/${p.id}`);
    },
  });
  const others = (all.data?.items ?? []).filter((p) => p.owner_id !== me?.id);
  return (
    <section aria-labelledby="playlists-title">
      <h1 id="playlists-title">Playlists</h1>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (title.trim()) create.mutate();
        }}
      >
        <input aria-label="New playlist title" placeholder="Morning mobility" value={title} onChange={(e) => setTitle(e.target.value)} />
        <button type="submit" disabled={create.isPending}>
          Create playlist
        </button>
      </form>
      <ErrorNote error={create.error} />
      <h2>Mine</h2>
      {mine.isLoading && <Loading />}
      {mine.data?.items.length === 0 && <Empty>No playlists yet: create one and add exercises.</Empty>}
      <ul className="list playlist-rows">
        {mine.data?.items.map((p) => (
          <PlaylistRow key={p.id} playlist={p} />
        ))}
      </ul>
      {others.length > 0 && (
        <>
          <h2>From your coaches and others</h2>
          <ul className="list playlist-rows">
            {others.map((p) => (
              <PlaylistRow key={p.id} playlist={p} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** A playlist in a list: its first exercises' posters, title, length and a Run button. */
function PlaylistRow({ playlist: p }: { playlist: Playlist }) {
  const covers = p.items.filter((i) => i.exercise?.reference_video).slice(0, 3);
  return (
    <li>
      <Link className="playlist-covers" to={`/playlists/${p.id}`} tabIndex={-1} aria-hidden="true">
        {covers.length === 0 ? (
          <Thumbnail video={null} width={128} />
        ) : (
          covers.map((i) => <Thumbnail key={i.id} video={i.exercise!.reference_video} width={covers.length === 1 ? 128 : 84} />)
        )}
      </Link>
      <span className="playlist-row-body">
        <Link className="title" to={`/playlists/${p.id}`}>
          {p.title}
        </Link>{" "}
        <span className="muted">
          · {p.items.length} exercise{p.items.length === 1 ? "" : "s"}
        </span>
      </span>
      <Link className="button small" to={`/playlists/${p.id}/run`}>
        Run
      </Link>
    </li>
  );
}
