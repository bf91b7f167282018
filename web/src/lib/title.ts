// Each screen names itself in the tab and the history: "Goblet squat · Practika".
import { useEffect } from "react";

export const APP = "Practika";

export function pageTitle(what?: string | null): string {
  return what ? `${what} · ${APP}` : APP;
}

/** Sets document.title while the screen shows (undefined while its data loads). */
export function usePageTitle(what: string | null | undefined): void {
  useEffect(() => {
    if (what === undefined) return;
    document.title = pageTitle(what);
  }, [what]);
}
