import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import { ApiError } from "./api/errors";
import { App } from "./App";
import { AuthProvider } from "./lib/auth";
import "./styles.css";

const queries = new QueryClient({
  defaultOptions: {
    queries: {
      // Retry what may pass on a second try (network, 5xx, 429); never a 4xx.
      retry: (count, error) => count < 3 && (!(error instanceof ApiError) || error.retryable),
      refetchOnWindowFocus: true,
    },
  },
});

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
