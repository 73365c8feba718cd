import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";

async function start() {
  // Development only: `?demo` swaps the backend for an in-memory fake so the screens can be looked
  // at in a plain browser. `import.meta.env.DEV` is false in builds, so Vite drops this branch
  // and the fake never ships.
  if (import.meta.env.DEV && new URLSearchParams(window.location.search).has("demo")) {
    const [{ fakeTransport }, { replaceTransport }] = await Promise.all([
      import("./lib/fake-backend"),
      import("./lib/api"),
    ]);
    replaceTransport(fakeTransport());
  }
  const target = document.getElementById("app");
  if (!target) throw new Error("index.html has no #app element");
  mount(App, { target });
}

void start();
