// Read-only share links: each query's key and fetcher, defined once.
import { queryOptions } from "@tanstack/react-query";
import { api, call, type Schemas } from "../../api/client";

export type ShareLink = Schemas["ShareLinkOut"];
export type NewShareLink = Schemas["NewShareLinkOut"];
export type SharedView = Schemas["SharedViewOut"];

export const shareKeys = {
  links: (threadId: string) => ["share-links", threadId] as const,
  shared: (token: string) => ["shared", token] as const,
};

export const shareLinksQuery = (threadId: string) =>
  queryOptions({
    queryKey: shareKeys.links(threadId),
    queryFn: () =>
      call(api.GET("/api/v1/threads/{thread_id}/share-links", { params: { path: { thread_id: threadId } } })),
  });

export const sharedQuery = (token: string) =>
  queryOptions({
    queryKey: shareKeys.shared(token),
    queryFn: () => call(api.GET("/api/v1/shared/{token}", { params: { path: { token } } })),
    retry: false,
  });

export const createShareLink = (
  threadId: string,
  body: { attempt_id?: string | null; expires_in_days: number; note?: string | null },
) =>
  call(api.POST("/api/v1/threads/{thread_id}/share-links", { params: { path: { thread_id: threadId } }, body }));

export const revokeShareLink = (threadId: string, linkId: string) =>
  call(
    api.DELETE("/api/v1/threads/{thread_id}/share-links/{link_id}", {
      params: { path: { thread_id: threadId, link_id: linkId } },
    }),
  );

/** The page a link opens, as an absolute URL to copy. */
export const shareUrl = (path: string) => new URL(path, window.location.origin).toString();
