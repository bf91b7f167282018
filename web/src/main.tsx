import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import { configureApi } from "./api/client";
import { loadApiTarget } from "./api/config";
import { ApiError } from "./api/errors";
import { App } from "./App";
import { authKeys } from "./features/auth/api";
import { AuthProvider } from "./lib/auth";
import "./styles.css";

// A session that ended (expired, signed out elsewhere) sends the person to sign in;
// the page they were on is kept so they come back to it.
const onError = (error: unknown) => {
  if (error instanceof ApiError && error.status === 401 && error.code === "unauthenticated") {
    queries.setQueryData(authKeys.me, null);
  }
};

const queries: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      // Retry what may pass on a second try (network, 5xx, 429); never a 4xx.
      retry: (count, error) => count < 3 && (!(error instanceof ApiError) || error.retryable),
      refetchOnWindowFocus: true,
    },
  },
});

// Where the API is (same origin, or api.<domain> on AWS) is settled before anything calls it.
configureApi(await loadApiTarget());

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <BrowserRouter>
        <AuthProvider>
          <App />
        </AuthProvider>
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
