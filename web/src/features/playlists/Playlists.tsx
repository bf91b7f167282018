import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { api, call } from "../../api/client";
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
      <ul className="list">
        {mine.data?.items.map((p) => (
          <li key={p.id}>
            <Link to={`/playlists/${p.id}`}>{p.title}</Link> <span className="muted">· {p.items.length} exercises</span>{" "}
            <Link className="button small" to={`/playlists/${p.id}/run`}>
              Run
            </Link>
          </li>
        ))}
      </ul>
      {others.length > 0 && (
        <>
          <h2>From your coaches and others</h2>
          <ul className="list">
            {others.map((p) => (
              <li key={p.id}>
                <Link to={`/playlists/${p.id}`}>{p.title}</Link> <span className="muted">· {p.items.length} exercises</span>{" "}
                <Link className="button small" to={`/playlists/${p.id}/run`}>
                  Run
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
