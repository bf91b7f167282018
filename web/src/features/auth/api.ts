// Who is signed in: the /auth/me query, its key defined once.
import { queryOptions } from "@tanstack/react-query";
import { api, call, csrfToken } from "../../api/client";
import { ApiError } from "../../api/errors";

export const authKeys = { me: ["me"] as const };

export const meQuery = () =>
  queryOptions({
    queryKey: authKeys.me,
    queryFn: async () => {
      // The CSRF cookie is set (readable) with the session cookie: without it nobody is
      // signed in, and asking /auth/me would only earn a 401 the browser logs as an error.
      if (!csrfToken()) return null;
      try {
        return await call(api.GET("/api/v1/auth/me"));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });

// The signed-out account flows: forgot password, the links from mail (verify, confirm a
// new address, unsubscribe). Each is a fetcher; the pages run them as mutations.

export const forgotPassword = (email: string) =>
  call(api.POST("/api/v1/auth/password-forgot", { body: { email } }));

export const verifyEmail = (token: string) => call(api.POST("/api/v1/account/verify", { body: { token } }));

export const confirmEmailChange = (token: string) =>
  call(api.POST("/api/v1/account/email/confirm", { body: { token } }));

export const unsubscribe = (query: { u: string; k: string; s: string }) =>
  call(api.POST("/api/v1/email/unsubscribe", { params: { query } }));
