// Playlists and practice sessions: each query's key and fetcher defined once; writes
// invalidate through `playlistKeys.lists()` (or `.all`).
import { queryOptions } from "@tanstack/react-query";
import { api, call } from "../../api/client";

export const playlistKeys = {
  all: ["playlists"] as const,
  lists: () => ["playlists", "list"] as const,
  mine: (ownerId: string) => ["playlists", "list", "mine", ownerId] as const,
  visible: () => ["playlists", "list", "visible"] as const,
  one: (id: string) => ["playlists", "one", id] as const,
};

export const playlistQuery = (id: string) =>
  queryOptions({
    queryKey: playlistKeys.one(id),
    queryFn: () => call(api.GET("/api/v1/playlists/{playlist_id}", { params: { path: { playlist_id: id } } })),
  });

export const myPlaylistsQuery = (ownerId: string) =>
  queryOptions({
    queryKey: playlistKeys.mine(ownerId),
    queryFn: () => call(api.GET("/api/v1/playlists", { params: { query: { owner_id: ownerId, limit: 50 } } })),
  });

export const visiblePlaylistsQuery = () =>
  queryOptions({
    queryKey: playlistKeys.visible(),
    queryFn: () => call(api.GET("/api/v1/playlists", { params: { query: { limit: 50 } } })),
  });

export const sessionKeys = {
  openRun: (playlistId: string) => ["sessions", "open", playlistId] as const,
};

/** The newest unfinished run of this playlist, if any: the one a run resumes. */
export const openRunQuery = (playlistId: string) =>
  queryOptions({
    queryKey: sessionKeys.openRun(playlistId),
    queryFn: async () => {
      const page = await call(api.GET("/api/v1/sessions", { params: { query: { playlist_id: playlistId, open: true, limit: 1 } } }));
      return page.items[0] ?? null;
    },
  });
