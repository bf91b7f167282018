// The person's own account: one queryOptions factory per resource, so every key is
// defined once and mutations invalidate through it.
import { queryOptions } from "@tanstack/react-query";
import { api, call, type Schemas } from "../../api/client";

export type Account = Schemas["AccountOut"];
export type MailPreferences = Schemas["MailPreferencesOut"];
export type MailMode = MailPreferences["feedback"];

export const accountKeys = {
  all: ["account"] as const,
  mailPreferences: ["account", "mail-preferences"] as const,
  sessions: ["account", "sessions"] as const,
};

export const accountQuery = () =>
  queryOptions({ queryKey: accountKeys.all, queryFn: () => call(api.GET("/api/v1/account")), staleTime: 30_000 });

export const mailPreferencesQuery = () =>
  queryOptions({
    queryKey: accountKeys.mailPreferences,
    queryFn: () => call(api.GET("/api/v1/account/mail-preferences")),
  });

export const sessionsQuery = () =>
  queryOptions({ queryKey: accountKeys.sessions, queryFn: () => call(api.GET("/api/v1/account/sessions")) });

export const updateAccount = (body: { display_name?: string; time_zone?: string }) =>
  call(api.PATCH("/api/v1/account", { body }));

export const setMailPreferences = (body: Partial<MailPreferences>) =>
  call(api.PUT("/api/v1/account/mail-preferences", { body }));

export const resendVerification = () => call(api.POST("/api/v1/account/verify/resend"));

export const requestEmailChange = (body: { email: string; password: string }) =>
  call(api.POST("/api/v1/account/email", { body }));

export const changePassword = (body: { current_password: string; new_password: string }) =>
  call(api.POST("/api/v1/auth/password", { body }));

export const endSession = (id: string) =>
  call(api.DELETE("/api/v1/account/sessions/{session_id}", { params: { path: { session_id: id } } }));

export const endOtherSessions = () => call(api.DELETE("/api/v1/account/sessions"));

export type AccountDeleted = Schemas["AccountDeletedOut"];

export const deleteAccount = (body: { password: string; successor_email?: string | null }) =>
  call(api.POST("/api/v1/account/delete", { body }));
