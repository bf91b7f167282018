// Where the API lives. On AWS the app is served by CloudFront from app.<domain> and the
// API answers at api.<domain>: the deploy writes /config.json with its address. Anywhere
// else the service serves the app itself (or Vite proxies to it), so the API is the
// page's own origin; there /config.json is a 404 or the SPA's index.html.

export interface ApiTarget {
  baseUrl: string;
  credentials: RequestCredentials;
}

export function sameOrigin(origin: string = window.location.origin): ApiTarget {
  return { baseUrl: origin, credentials: "same-origin" };
}

/** The API's address from the app's own /config.json, else the page's origin. */
export async function loadApiTarget(
  origin: string = window.location.origin,
  fetchConfig: typeof fetch = fetch,
): Promise<ApiTarget> {
  try {
    const response = await fetchConfig(new URL("/config.json", origin), { cache: "no-cache" });
    const type = response.headers.get("Content-Type") ?? "";
    if (!response.ok || !/\bjson\b/i.test(type)) return sameOrigin(origin);
    const { apiBaseUrl } = ((await response.json()) ?? {}) as { apiBaseUrl?: unknown };
    if (typeof apiBaseUrl !== "string") return sameOrigin(origin);
    const base = new URL(apiBaseUrl); // a malformed address throws: caught below
    // Another host: the session cookie (Domain=<domain>) goes along only when asked to.
    return { baseUrl: base.href.replace(/\/+$/, ""), credentials: "include" };
  } catch {
    return sameOrigin(origin); // unreachable, not JSON after all, or not an address
  }
}
