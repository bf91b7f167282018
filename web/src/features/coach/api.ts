// The coach's invites and links (coach and learner sides): keys and fetchers defined once.
import { queryOptions } from "@tanstack/react-query";
import { api, call } from "../../api/client";

export const coachKeys = {
  invites: ["invites"] as const,
  links: ["links"] as const,
};

export const invitesQuery = () =>
  queryOptions({
    queryKey: coachKeys.invites,
    queryFn: () => call(api.GET("/api/v1/invites", { params: { query: { limit: 50 } } })),
  });

export const linksQuery = (role: "coach" | "learner") =>
  queryOptions({
    queryKey: [...coachKeys.links, role] as const,
    queryFn: () => call(api.GET("/api/v1/links", { params: { query: { role, limit: 100 } } })),
    staleTime: 60_000,
  });

export const createInvite = (note: string) => call(api.POST("/api/v1/invites", { body: { note: note.trim() || undefined } }));

export const revokeInvite = (id: string) => call(api.DELETE("/api/v1/invites/{invite_id}", { params: { path: { invite_id: id } } }));

export const unlink = (id: string) => call(api.DELETE("/api/v1/links/{link_id}", { params: { path: { link_id: id } } }));

/** Whose invite a code is, for the join page (no sign-in needed). */
export const invitePreviewQuery = (code: string) =>
  queryOptions({
    queryKey: [...coachKeys.invites, "preview", code] as const,
    queryFn: () => call(api.GET("/api/v1/invites/preview", { params: { query: { code } } })),
    enabled: !!code.trim(),
    retry: false,
  });
