// One error type for the whole app, from the service's single error shape:
// {"error": {"code", "message", "details"}}.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  static from(status: number, body: unknown): ApiError {
    const err = (body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    const code = err?.code ?? "error";
    return new ApiError(status, code, friendly(status, code, err?.message), err?.details);
  }

  static network(cause: unknown): ApiError {
    return new ApiError(0, "network", "You seem to be offline. Check your connection and try again.", cause);
  }

  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/** The service already writes messages for people; fill in where it could not. */
export function friendly(status: number, code: string, message?: string): string {
  if (status === 401 && code !== "bad_credentials") return "Your session has ended. Sign in again.";
  if (status === 403 && code === "csrf") return "This page is out of date. Reload it and try again.";
  if (status === 413) return message ?? "That is too large to send.";
  if (status === 503 || status === 502 || status === 504)
    return "Practika is briefly unavailable. Your changes are kept here; try again in a moment.";
  if (status >= 500) return "Something went wrong on our side. Try again; if it keeps happening, tell us.";
  return message ?? "The request could not be completed.";
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}
