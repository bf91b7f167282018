// Who is signed in. The session itself is an HttpOnly cookie; this only asks /auth/me.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, type ReactNode } from "react";
import { api, call, type Me } from "../api/client";
import { authKeys, meQuery } from "../features/auth/api";

interface Auth {
  me: Me | null;
  loading: boolean;
  signIn(email: string, password: string): Promise<void>;
  signUp(body: { email: string; password: string; display_name: string; invite_code?: string }): Promise<void>;
  signOut(): Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const me = useQuery(meQuery());
  const signedIn = async (user: Me) => {
    // Someone else's cached data must not show; the "me" query stays observed.
    client.removeQueries({ predicate: (q) => q.queryKey[0] !== authKeys.me[0] });
    client.setQueryData(authKeys.me, user);
  };
  const value: Auth = {
    me: me.data ?? null,
    loading: me.isLoading,
    async signIn(email, password) {
      const session = await call(api.POST("/api/v1/auth/signin", { body: { email, password } }));
      await signedIn(session.user);
    },
    async signUp(body) {
      const session = await call(api.POST("/api/v1/auth/signup", { body }));
      await signedIn(session.user);
    },
    async signOut() {
      await call(api.POST("/api/v1/auth/signout")).catch(() => undefined);
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== authKeys.me[0] });
      client.setQueryData(authKeys.me, null);
    },
  };
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth outside AuthProvider");
  return auth;
}
