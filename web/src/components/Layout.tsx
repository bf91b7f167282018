import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { unreadCountQuery } from "../features/notifications/api";
import { VerifyReminder } from "../features/settings/VerifyReminder";
import { useAuth } from "../lib/auth";
import { ErrorBoundary } from "./ErrorBoundary";

// Small line icons for the phone's tab bar (24 px grid, stroked with the text colour).
const ICONS: Record<string, ReactNode> = {
  library: <path d="M4 5h6v14H4zM14 5h6v14h-6z" />,
  practice: <path d="M8 5v14l11-7z" />,
  coach: <path d="M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 20c0-4 4-6 8-6s8 2 8 6" />,
  playlists: <path d="M4 6h12M4 12h12M4 18h8M18 14v6l4-3z" />,
  progress: <path d="M5 20V10M12 20V4M19 20v-7" />,
  notifications: <path d="M6 16V11a6 6 0 1 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0" />,
};

const DESTINATIONS = [
  { to: "/", label: "Library", icon: "library", end: true },
  { to: "/practice", label: "Practice", icon: "practice" },
  { to: "/coach", label: "Coach", icon: "coach" },
  { to: "/playlists", label: "Playlists", icon: "playlists" },
  { to: "/progress", label: "Progress", icon: "progress" },
  { to: "/notifications", label: "Notifications", short: "Alerts", icon: "notifications" },
];

function MainNav({ count, className, admin = false }: { count: number; className: string; admin?: boolean }) {
  return (
    <nav aria-label="Main" className={className}>
      {DESTINATIONS.map((d) => {
        const badge = d.icon === "notifications" && count > 0 ? <span className="count">{count}</span> : null;
        return (
          <NavLink
            key={d.to}
            to={d.to}
            end={d.end}
            aria-label={d.icon === "notifications" ? `Notifications, ${count} unread` : undefined}
          >
            <svg className="nav-icon" viewBox="0 0 24 24" aria-hidden="true">
              {ICONS[d.icon]}
            </svg>
            <span className="nav-label">{className === "tabbar" ? (d.short ?? d.label) : d.label}</span>
            {badge}
          </NavLink>
        );
      })}
      {/* On a phone these two sit in the header (the name and "Admin"), not in the tabs. */}
      {className === "topnav" && <NavLink to="/settings">Settings</NavLink>}
      {className === "topnav" && admin && <NavLink to="/admin">Admin</NavLink>}
    </nav>
  );
}

export function Layout() {
  const { me, signOut } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const unread = useQuery({ ...unreadCountQuery(), enabled: !!me });
  const count = unread.data?.unread ?? 0;
  return (
    <div className={me ? "shell with-tabbar" : "shell"}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand">
          Practika
        </NavLink>
        {me && <MainNav count={count} className="topnav" admin={me.is_admin} />}
        {me && (
          <div className="who">
            <span className="who-name">{me.display_name}</span>
            {/* On a phone the top navigation is hidden: these two stay reachable here. */}
            <NavLink to="/settings" className="who-extra">
              Settings
            </NavLink>
            {me.is_admin && (
              <NavLink to="/admin" className="who-extra">
                Admin
              </NavLink>
            )}
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
      {/* On a phone the destinations sit in a bottom tab bar, in thumb's reach. */}
      {me && <MainNav count={count} className="tabbar" />}
    </div>
  );
}
