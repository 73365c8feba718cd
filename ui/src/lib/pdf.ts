// pdf.js behind a small interface: loaded on first use (it is large and only the PDF panels need
// it), with its worker bundled by Vite and served from the app itself, as the CSP requires.
//
// The legacy build is used on purpose: Tauri's Linux webview is WebKitGTK, whose version follows
// the distribution, and pdf.js's modern build relies on very new built-ins (Map#getOrInsert,
// Promise.try) that the legacy build polyfills.
import type { PDFDocumentProxy, PDFPageProxy } from "pdfjs-dist";
// Only the worker's address is bundled here; the worker file itself is emitted as an asset.
import workerUrl from "pdfjs-dist/legacy/build/pdf.worker.min.mjs?url";

type PdfJs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");
type Loaded = { lib: PdfJs; worker: InstanceType<PdfJs["PDFWorker"]> };

let library: Promise<Loaded> | null = null;

// One worker serves every document: the live template preview opens a new PDF after each pause
// in typing, and starting a worker each time would cost more than parsing the PDF.
function pdfjs(): Promise<Loaded> {
  library ??= import("pdfjs-dist/legacy/build/pdf.mjs").then((lib) => {
    lib.GlobalWorkerOptions.workerSrc = workerUrl;
    return { lib, worker: new lib.PDFWorker({}) };
  });
  return library;
}

export type PageSize = { width: number; height: number };

export type OpenedPdf = {
  doc: PDFDocumentProxy;
  /** Every page's size at scale 1 (PDF points), so the layout is right before anything renders. */
  sizes: PageSize[];
  destroy: () => void;
};

/** Parses PDF bytes. The caller's buffer is left intact (pdf.js would detach what it is given). */
export async function openPdf(bytes: ArrayBuffer): Promise<OpenedPdf> {
  const { lib, worker } = await pdfjs();
  const task = lib.getDocument({
    data: new Uint8Array(bytes.slice(0)),
    worker,
    // The CSP has no 'unsafe-eval'; pdf.js then draws fonts without compiling code.
    isEvalSupported: false,
    enableXfa: false,
  });
  try {
    const doc = await task.promise;
    const pages = await Promise.all(Array.from({ length: doc.numPages }, (_, i) => doc.getPage(i + 1)));
    const sizes = pages.map((page) => {
      const { width, height } = page.getViewport({ scale: 1 });
      return { width, height };
    });
    return { doc, sizes, destroy: () => void task.destroy() };
  } catch (reason) {
    void task.destroy();
    throw reason;
  }
}

export type PageRender = { done: Promise<HTMLCanvasElement>; cancel: () => void };

/**
 * Draws one page into a new canvas as wide as `cssWidth` CSS pixels, sharp on high-density
 * screens. A new canvas (not the visible one) is drawn so that the old picture stays up until the
 * new one is complete: a live preview then changes without flashing blank.
 */
export function renderPage(page: PDFPageProxy, cssWidth: number): PageRender {
  const natural = page.getViewport({ scale: 1 });
  const density = window.devicePixelRatio || 1;
  const viewport = page.getViewport({ scale: (cssWidth / natural.width) * density });
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.floor(viewport.width));
  canvas.height = Math.max(1, Math.floor(viewport.height));
  const task = page.render({ canvas, viewport });
  return { done: task.promise.then(() => canvas), cancel: () => task.cancel() };
}

/** pdf.js rejects a cancelled render with this; it is not an error worth showing. */
export function isCancelled(reason: unknown): boolean {
  return reason instanceof Error && reason.name === "RenderingCancelledException";
}
