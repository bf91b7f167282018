/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// In development the API runs on :8000 (`make run`); the app proxies to it so the
// session cookie stays same-origin, exactly as when the service serves the build.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { "/api": "http://127.0.0.1:8000", "/media": "http://127.0.0.1:8000" },
  },
  build: { outDir: "dist", sourcemap: true },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test/setup.ts"],
    // No test may depend on the machine's speed: Vitest's 5 s default failed on a busy one.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
