// The admin screen's data: users (searchable) and the system's health.
import { queryOptions } from "@tanstack/react-query";
import { api, call, type Schemas } from "../../api/client";

export type AdminUser = Schemas["AdminUserOut"];
export type SystemHealth = Schemas["SystemHealthOut"];

export const adminKeys = {
  users: ["admin", "users"] as const,
  health: ["admin", "health"] as const,
};

export const usersQuery = (q: string) =>
  queryOptions({
    queryKey: [...adminKeys.users, q] as const,
    queryFn: () => call(api.GET("/api/v1/admin/users", { params: { query: { q: q || undefined, limit: 100 } } })),
  });

export const healthQuery = () =>
  queryOptions({ queryKey: adminKeys.health, queryFn: () => call(api.GET("/api/v1/admin/health")) });

export const updateUser = (id: string, body: { is_active?: boolean; is_admin?: boolean }) =>
  call(api.PATCH("/api/v1/admin/users/{user_id}", { params: { path: { user_id: id } }, body }));

export const issueResetLink = (id: string) =>
  call(api.POST("/api/v1/admin/users/{user_id}/password-reset", { params: { path: { user_id: id } } }));

export const emailResetLink = (id: string) =>
  call(api.POST("/api/v1/admin/users/{user_id}/password-reset-email", { params: { path: { user_id: id } } }));

export const retryJob = (id: string) =>
  call(api.POST("/api/v1/admin/jobs/{job_id}/retry", { params: { path: { job_id: id } } }));

export const retryVideo = (id: string) =>
  call(api.POST("/api/v1/admin/videos/{video_id}/retry", { params: { path: { video_id: id } } }));
