import { describe, expect, it } from "vitest";
import { ApiError, friendly } from "./errors";

describe("API errors in words", () => {
  it("keeps the service's own message for validation and conflicts", () => {
    const e = ApiError.from(422, { error: { code: "invalid", message: "The request is not valid: title: too short", details: [] } });
    expect(e.message).toBe("The request is not valid: title: too short");
    expect(e.retryable).toBe(false);
  });
  it("explains what a person can do for sessions, CSRF, outages and bugs", () => {
    expect(friendly(401, "unauthenticated")).toMatch(/Sign in again/);
    expect(friendly(401, "bad_credentials", "The email or password is not right.")).toBe("The email or password is not right.");
    expect(friendly(403, "csrf")).toMatch(/Reload/);
    expect(friendly(503, "unavailable")).toMatch(/kept here/);
    expect(friendly(500, "internal")).toMatch(/our side/);
  });
  it("treats network failures, 429 and 5xx as worth retrying", () => {
    expect(ApiError.network(new TypeError("Failed to fetch")).retryable).toBe(true);
    expect(ApiError.from(429, undefined).retryable).toBe(true);
    expect(ApiError.from(503, undefined).retryable).toBe(true);
    expect(ApiError.from(404, { error: { code: "not_found", message: "x" } }).retryable).toBe(false);
  });
});
