import { useQuery } from "@tanstack/react-query";
import { NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { api, call } from "../api/client";
import { VerifyReminder } from "../features/settings/VerifyReminder";
import { useAuth } from "../lib/auth";
import { ErrorBoundary } from "./ErrorBoundary";

export function Layout() {
  const { me, signOut } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const unread = useQuery({
    queryKey: ["notifications", "unread"],
    queryFn: () => call(api.GET("/api/v1/notifications/unread-count")),
    enabled: !!me,
    refetchInterval: 20_000,
  });
  const count = unread.data?.unread ?? 0;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand">
          Practika
        </NavLink>
        {me && (
          <nav aria-label="Main">
            <NavLink to="/">Library</NavLink>
            <NavLink to="/practice">Practice</NavLink>
            <NavLink to="/coach">Coach</NavLink>
            <NavLink to="/playlists">Playlists</NavLink>
            <NavLink to="/progress">Progress</NavLink>
            <NavLink to="/notifications" aria-label={`Notifications, ${count} unread`}>
              Notifications{count > 0 && <span className="count">{count}</span>}
            </NavLink>
            <NavLink to="/settings">Settings</NavLink>
            {me.is_admin && <NavLink to="/admin">Admin</NavLink>}
          </nav>
        )}
        {me && (
          <div className="who">
            <span>{me.display_name}</span>
            <button
              type="button"
              className="link"
              onClick={async () => {
                await signOut();
                navigate("/signin");
              }}
            >
              Sign out
            </button>
          </div>
        )}
      </header>
      {me && <VerifyReminder />}
      <main id="main" tabIndex={-1}>
        <ErrorBoundary resetKey={location.pathname}>
          <Outlet />
        </ErrorBoundary>
      </main>
    </div>
  );
}
