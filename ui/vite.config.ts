import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vitest/config";

// The UI is loaded by the Tauri webview from local files under a strict CSP
// (`default-src 'self'`), so every asset must be bundled and addressed relatively.
export default defineConfig({
  base: "./",
  plugins: [svelte()],
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Tauri's Linux webview is WebKitGTK; this target keeps the output within what it runs.
    target: ["es2022", "safari16"],
    // Inlined assets would become data: URLs, which a `default-src 'self'` policy blocks.
    assetsInlineLimit: 0,
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
