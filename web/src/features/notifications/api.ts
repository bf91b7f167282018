// Notifications: query-option factories (key + fetcher once) and the mark-read call.
import { queryOptions } from "@tanstack/react-query";
import { api, call } from "../../api/client";

export const notificationKeys = {
  all: ["notifications"] as const,
  list: () => ["notifications", "list"] as const,
  unread: () => ["notifications", "unread"] as const,
};

export const notificationsQuery = () =>
  queryOptions({
    queryKey: notificationKeys.list(),
    queryFn: () => call(api.GET("/api/v1/notifications", { params: { query: { limit: 50 } } })),
    refetchInterval: 20_000,
  });

export const unreadCountQuery = () =>
  queryOptions({
    queryKey: notificationKeys.unread(),
    queryFn: () => call(api.GET("/api/v1/notifications/unread-count")),
    refetchInterval: 20_000,
  });

export const markRead = (ids?: string[]) => call(api.POST("/api/v1/notifications/read", { body: { ids: ids ?? null } }));
