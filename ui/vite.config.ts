import { svelte } from "@sveltejs/vite-plugin-svelte";
import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";

// Tauri freezes Object.prototype in the window (`freezePrototype`, against prototype pollution).
// Under a frozen Object.prototype, assigning `constructor` or `toString` to a plain object throws
// in strict code, because the inherited property is read-only ("the override mistake"). Two of
// LayerChart's d3 modules do that once when they load, which would leave the window blank; each
// is given its own writable property just before, so the statement that follows works as written.
// The build fails if a statement is not found, so a new version cannot slip by unchecked.
const FROZEN_PROTOTYPE_PATCHES = [
  {
    file: "d3-color/dist/d3-color.mjs",
    before: "prototype.constructor = constructor;",
    object: "prototype",
    key: "constructor",
  },
  {
    file: "d3-format/dist/d3-format.mjs",
    before: "FormatSpecifier.prototype.toString = function",
    object: "FormatSpecifier.prototype",
    key: "toString",
  },
];

function underFrozenPrototype(): Plugin {
  return {
    name: "under-frozen-prototype",
    enforce: "pre",
    transform(code, id) {
      const path = id.split("?")[0]?.replaceAll("\\", "/") ?? "";
      const patch = FROZEN_PROTOTYPE_PATCHES.find((p) => path.endsWith(`/node_modules/${p.file}`));
      if (!patch) return null;
      if (!code.includes(patch.before)) {
        throw new Error(`${patch.file} changed: "${patch.before}" not found; check it under freezePrototype`);
      }
      const own = `Object.defineProperty(${patch.object}, "${patch.key}", { value: undefined, writable: true, configurable: true });`;
      return code.replace(patch.before, `${own}\n${patch.before}`);
    },
  };
}

// The UI is loaded by the Tauri webview from local files under a strict CSP
// (`default-src 'self'`), so every asset must be bundled and addressed relatively.
export default defineConfig({
  base: "./",
  plugins: [underFrozenPrototype(), svelte()],
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
