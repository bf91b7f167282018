// The signed-out account flows: forgot password, the links from mail (verify, confirm a
// new address, unsubscribe). Each is a fetcher; the pages run them as mutations.
import { api, call } from "../../api/client";

export const forgotPassword = (email: string) =>
  call(api.POST("/api/v1/auth/password-forgot", { body: { email } }));

export const verifyEmail = (token: string) => call(api.POST("/api/v1/account/verify", { body: { token } }));

export const confirmEmailChange = (token: string) =>
  call(api.POST("/api/v1/account/email/confirm", { body: { token } }));

export const unsubscribe = (query: { u: string; k: string; s: string }) =>
  call(api.POST("/api/v1/email/unsubscribe", { params: { query } }));
