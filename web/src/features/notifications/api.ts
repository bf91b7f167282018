// Notifications: the list and the unread count, keys and fetchers defined once; marking
// read invalidates through `notificationKeys.all`.
import { queryOptions } from "@tanstack/react-query";
import { api, call } from "../../api/client";

const POLL_MS = 20_000;

export const notificationKeys = {
  all: ["notifications"] as const,
  list: () => ["notifications", "list"] as const,
  unread: () => ["notifications", "unread"] as const,
};

export const notificationsQuery = () =>
  queryOptions({
    queryKey: notificationKeys.list(),
    queryFn: () => call(api.GET("/api/v1/notifications", { params: { query: { limit: 50 } } })),
    refetchInterval: POLL_MS,
  });

export const unreadCountQuery = () =>
  queryOptions({
    queryKey: notificationKeys.unread(),
    queryFn: () => call(api.GET("/api/v1/notifications/unread-count")),
    refetchInterval: POLL_MS,
  });

/** Mark these read (or all of them, without ids). */
export const markRead = (ids?: string[]) => call(api.POST("/api/v1/notifications/read", { body: { ids: ids ?? null } }));
