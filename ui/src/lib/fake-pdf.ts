// DEVELOPMENT-ONLY. A tiny hand-written PDF writer for the demo fake backend, so the PDF viewer
// shows real (if plain) PDF bytes in a browser without the Rust renderer. Only reached through
// fake-backend.ts, which production builds drop. Standard Helvetica, ASCII text, no compression.
import type { InvoiceDetail } from "./bindings/InvoiceDetail";

export type FakeLine = { text: string; bold?: boolean; size?: number; right?: string; gapBefore?: number };

export type FakeDocument = {
  paper: "a4" | "letter";
  /** "#RRGGBB", used for the top band and the title. */
  accent: string;
  title: string;
  /** Printed diagonally across every page, e.g. "DRAFT". */
  watermark: string | null;
  lines: FakeLine[];
  footer: string;
};

const PAPER = { a4: [595, 842], letter: [612, 792] } as const;
const MARGIN = 56;

// PDF strings escape backslashes and parentheses. Latin-1 letters (ü, é) are written as octal
// escapes in WinAnsi, which keeps the file ASCII; anything else is spelled out or dropped.
function pdfText(text: string): string {
  return text
    .replace(/[–—·•]/g, "-")
    .replace(/([\\()])/g, "\\$1")
    .replace(/[^\x20-\x7e]/g, (char) => {
      if (char === "€") return "\\200";
      const code = char.charCodeAt(0);
      return code >= 0xa0 && code <= 0xff ? `\\${code.toString(8)}` : "?";
    });
}

function rgb(hex: string): string {
  const match = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  const channels = match ? [match[1], match[2], match[3]] : ["2c", "5f", "cb"];
  return channels.map((c) => (parseInt(c ?? "0", 16) / 255).toFixed(3)).join(" ");
}

/** Splits long text into lines of at most `width` characters, at spaces. */
export function wrap(text: string, width = 92): string[] {
  const out: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(" ")) {
      if (line !== "" && line.length + word.length + 1 > width) {
        out.push(line);
        line = word;
      } else line = line === "" ? word : `${line} ${word}`;
    }
    out.push(line);
  }
  return out;
}

function pageContent(doc: FakeDocument, lines: FakeLine[], pageNo: number, pageCount: number): string {
  const [w, h] = PAPER[doc.paper];
  const ops: string[] = [`q ${rgb(doc.accent)} rg 0 ${h - 14} ${w} 14 re f Q`];
  if (doc.watermark) {
    ops.push(
      `q 0.93 0.93 0.93 rg BT /F2 96 Tf 0.707 0.707 -0.707 0.707 ${w / 2 - 190} ${h / 2 - 150} Tm (${pdfText(doc.watermark)}) Tj ET Q`,
    );
  }
  let y = h - MARGIN - 20;
  if (pageNo === 1) {
    ops.push(`q ${rgb(doc.accent)} rg BT /F2 22 Tf ${MARGIN} ${y} Td (${pdfText(doc.title)}) Tj ET Q`);
    y -= 34;
  }
  for (const line of lines) {
    const size = line.size ?? 10;
    y -= (line.gapBefore ?? 0) + size + 4;
    const font = line.bold ? "/F2" : "/F1";
    ops.push(`BT ${font} ${size} Tf ${MARGIN} ${y} Td (${pdfText(line.text)}) Tj ET`);
    if (line.right !== undefined) {
      // Helvetica digits are 0.556 em wide; close enough to right-align amounts.
      const x = w - MARGIN - line.right.length * size * 0.556;
      ops.push(`BT ${font} ${size} Tf ${x.toFixed(1)} ${y} Td (${pdfText(line.right)}) Tj ET`);
    }
  }
  ops.push(`q 0.4 0.4 0.4 rg BT /F1 8 Tf ${MARGIN} 32 Td (${pdfText(doc.footer)}) Tj ET Q`);
  ops.push(`q 0.4 0.4 0.4 rg BT /F1 8 Tf ${w - MARGIN - 60} 32 Td (Page ${pageNo} of ${pageCount}) Tj ET Q`);
  return ops.join("\n");
}

/** Lays the lines out on as many pages as they need and returns the PDF file's bytes. */
export function fakePdf(doc: FakeDocument): ArrayBuffer {
  const [w, h] = PAPER[doc.paper];
  const pages: FakeLine[][] = [[]];
  let used = 34;
  const room = h - 2 * MARGIN - 60;
  for (const line of doc.lines) {
    const height = (line.gapBefore ?? 0) + (line.size ?? 10) + 4;
    if (used + height > room) {
      pages.push([]);
      used = 0;
    }
    used += height;
    pages.at(-1)?.push(line.gapBefore && used === height ? { ...line, gapBefore: 0 } : line);
  }

  const objects: string[] = [];
  const pageIds = pages.map((_, i) => 5 + i * 2);
  objects[1] = "<< /Type /Catalog /Pages 2 0 R >>";
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(" ")}] /Count ${pages.length} >>`;
  objects[3] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";
  objects[4] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>";
  pages.forEach((lines, i) => {
    const id = pageIds[i] ?? 0;
    const stream = pageContent(doc, lines, i + 1, pages.length);
    objects[id] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w} ${h}] ` +
      `/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${id + 1} 0 R >>`;
    objects[id + 1] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  });

  // Every character is ASCII, so string lengths are byte offsets.
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = out.length;
    out += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = out.length;
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) out += `${String(offsets[id]).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out).buffer as ArrayBuffer;
}

/** The demo's PDF of an invoice: its lines, totals and notes, with "DRAFT" across unissued ones. */
export function invoicePdf(invoice: InvoiceDetail, company: { name: string; address: string | null }): ArrayBuffer {
  const c = invoice.customer;
  const lines: FakeLine[] = [
    { text: `${company.name}  -  ${(company.address ?? "").replace(/\n/g, ", ")}`, size: 9 },
    { text: `Bill to: ${c.company ?? c.name}, ${c.address}, ${c.postal_code} ${c.city}, ${c.country}`, gapBefore: 12 },
    {
      text: `Invoice ${invoice.number ?? "DRAFT"}   Issued ${invoice.issue_date}   Due ${invoice.due_date}`,
      bold: true,
      gapBefore: 6,
    },
    { text: "Description", bold: true, gapBefore: 18, right: `Total (${invoice.currency})` },
    ...invoice.lines.map((line) => ({
      text: `${line.description}  -  ${line.quantity} x ${line.unit_price}${line.discount_percent ? ` less ${line.discount_percent}%` : ""}`,
      right: line.total,
    })),
    { text: "Subtotal", gapBefore: 10, right: invoice.subtotal },
    { text: "Tax", right: invoice.tax_total },
    { text: "Total", bold: true, right: invoice.total },
    ...(invoice.notes ? wrap(invoice.notes).map((text, i) => ({ text, gapBefore: i === 0 ? 14 : 0 })) : []),
  ];
  return fakePdf({
    paper: "letter",
    accent: "#1F5FAD",
    title: "Invoice",
    watermark: invoice.number ? null : "DRAFT",
    lines,
    footer: `${company.name} - Payment terms: Net ${invoice.terms_days} days`,
  });
}
