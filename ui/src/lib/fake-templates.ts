// DEVELOPMENT-ONLY. The template library of the demo fake backend: versions, history, a crude
// check for broken tags (reported like the real tera errors, "line L, column C: …") and a plain
// PDF preview. Only reached through fake-backend.ts, which production builds drop. The real
// rendering and validation are tera's, in the Rust documents crate.
import type { ApiError } from "./bindings/ApiError";
import type { ErrorDetail as FieldError } from "./bindings/ErrorDetail";
import type { SaveTemplateInput } from "./bindings/SaveTemplateInput";
import type { TemplateBlocksView } from "./bindings/TemplateBlocksView";
import type { TemplateLayoutView } from "./bindings/TemplateLayoutView";
import type { TemplateRefInput } from "./bindings/TemplateRefInput";
import type { TemplateVersionView } from "./bindings/TemplateVersionView";
import { fakePdf, wrap, type FakeLine } from "./fake-pdf";
import { STANDARD_DE, STANDARD_EN } from "./fake-template-texts";

type Args = Record<string, unknown>;

const SAMPLE: Record<string, string> = {
  "company.name": "Northwind Consulting LLC",
  "company.email": "billing@northwind.example",
  "company.tax_id": "94-1234567",
  "company.country": "US",
  "company.address_lines": "500 Market Street, San Francisco, CA 94105",
  "customer.name": "Acme Corporation",
  "customer.company": "",
  "customer.country": "US",
  "customer.region": "CA",
  "customer.tax_id": "",
  "customer.email": "ap@acme.example",
  "invoice.number": "",
  "invoice.number_display": "DRAFT",
  "invoice.is_draft": "true",
  "invoice.paid_in_full": "",
  "invoice.issue_date": "June 20, 2025",
  "invoice.due_date": "July 20, 2025",
  "invoice.terms": "Net 30",
  "invoice.terms_days": "30",
  "invoice.payment_link": "https://pay.northwind.example/i/DRAFT",
  "invoice.notes": "Purchase order PO-7781.",
  "totals.subtotal": "$4,077.00",
  "totals.total": "$4,372.58",
  "totals.balance_due": "$4,372.58",
  "reminder.days_overdue": "14",
  "reminder.step": "2",
  locale: "en-US",
};
const ROOTS = new Set([
  "company",
  "customer",
  "invoice",
  "lines",
  "taxes",
  "totals",
  "locale",
  "reminder",
  "eu",
  "loop",
]);
const FILTERS = new Set(["money", "date", "percent", "number", "join", "upper", "lower", "trim", "default", "length"]);

type Token = { kind: "text" | "expr" | "tag"; body: string; at: number };

const positionOf = (text: string, at: number) => {
  const before = text.slice(0, at).split("\n");
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
};

/** Splits a block into text, `{{ … }}` and `{% … %}`; the first problem found is returned instead. */
function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  let at = 0;
  for (;;) {
    const open = text.slice(at).search(/\{[{%]/);
    if (open === -1) break;
    const start = at + open;
    if (start > at) tokens.push({ kind: "text", body: text.slice(at, start), at });
    const isExpr = text[start + 1] === "{";
    const close = text.indexOf(isExpr ? "}}" : "%}", start + 2);
    if (close === -1) return `${positionOf(text, start)}: expected \`${isExpr ? "}}" : "%}"}\` to close this tag`;
    const body = text
      .slice(start + 2, close)
      .replace(/^-|-$/g, "")
      .trim();
    if (isExpr) {
      const [path = "", ...filters] = body.split("|").map((part) => part.trim());
      const root = path.split(/[.[\s]/)[0] ?? "";
      if (!ROOTS.has(root) && !/^["\d]/.test(root))
        return `${positionOf(text, start + 3)}: variable \`${root}\` is not defined`;
      const unknown = filters.map((f) => f.split("(")[0]?.trim() ?? "").find((f) => !FILTERS.has(f));
      if (unknown !== undefined) return `${positionOf(text, start)}: unknown filter \`${unknown}\``;
    }
    tokens.push({ kind: isExpr ? "expr" : "tag", body, at: start });
    at = close + 2;
  }
  tokens.push({ kind: "text", body: text.slice(at), at });
  return tokens;
}

function check(blocks: TemplateBlocksView): void {
  const details: FieldError[] = [];
  for (const [name, text] of Object.entries(blocks)) {
    const result = tokenize(text);
    if (typeof result === "string") details.push({ field: `blocks.${name}`, message: result });
  }
  if (details.length > 0) throw { code: "validation", message: "The template has errors.", details } as ApiError;
}

const truthy = (condition: string): boolean => {
  const negated = condition.startsWith("not ");
  const path = negated ? condition.slice(4).trim() : condition;
  const equals = /^(\S+)\s*==\s*"([^"]*)"$/.exec(path);
  const value = equals ? SAMPLE[equals[1] ?? ""] === equals[2] : Boolean(SAMPLE[path]);
  return negated ? !value : value;
};

/** Renders a block with the sample values: plain ifs are followed, anything fancier is dropped. */
function render(text: string): string {
  const tokens = tokenize(text);
  if (typeof tokens === "string") return "";
  const shown: boolean[] = [];
  const taken: boolean[] = [];
  let out = "";
  for (const token of tokens) {
    const visible = shown.every(Boolean);
    if (token.kind === "text" && visible) out += token.body;
    else if (token.kind === "expr" && visible) out += SAMPLE[token.body.split("|")[0]?.trim() ?? ""] ?? "";
    else if (token.kind === "tag") {
      const [word = "", ...rest] = token.body.split(/\s+/);
      const condition = rest.join(" ");
      if (word === "if") {
        const yes = !/ and | or | in /.test(condition) && truthy(condition);
        shown.push(yes);
        taken.push(yes);
      } else if (word === "elif" || word === "else") {
        const yes = !taken.at(-1) && (word === "else" || truthy(condition));
        shown[shown.length - 1] = yes;
        if (yes) taken[taken.length - 1] = true;
      } else if (word === "endif") {
        shown.pop();
        taken.pop();
      }
    }
  }
  return out.trim();
}

function previewPdf(blocks: TemplateBlocksView, layout: TemplateLayoutView): ArrayBuffer {
  const columns = (qty: string, price: string, disc: string, rate: string) =>
    [
      layout.show_quantity && qty,
      layout.show_unit_price && price,
      layout.show_discount && disc,
      layout.show_tax_rate && rate,
    ]
      .filter(Boolean)
      .join("   ");
  const text = (block: string, gapBefore = 10): FakeLine[] =>
    wrap(render(block)).map((line, i) => ({ text: line, gapBefore: i === 0 ? gapBefore : 0 }));
  const lines: FakeLine[] = [
    { text: "Northwind Consulting LLC  -  500 Market Street, San Francisco, CA 94105", size: 9 },
    { text: "Bill to: Acme Corporation, 100 Main Street, Oakland, CA 94000", gapBefore: 12 },
    { text: "Invoice DRAFT   Issued June 20, 2025   Due July 20, 2025", bold: true, gapBefore: 6 },
    ...text(blocks.intro, 16),
    { text: `Description   ${columns("Qty", "Unit price", "Disc.", "Tax")}`, bold: true, gapBefore: 16, right: "Net" },
    { text: `Consulting hours   ${columns("12", "$145.00", "", "7.25%")}`, right: "$1,740.00" },
    { text: `Monthly retainer   ${columns("1", "$2,250.00", "10%", "7.25%")}`, right: "$2,025.00" },
    { text: `Travel expenses   ${columns("1", "$312.00", "", "")}`, right: "$312.00" },
    { text: "Subtotal", gapBefore: 10, right: "$4,077.00" },
    { text: "Sales tax 7.25%", right: "$295.58" },
    { text: "Total", bold: true, right: "$4,372.58" },
    ...text(blocks.notes),
    ...text(blocks.payment_instructions, 14),
    ...text(blocks.region_statement, 12),
  ];
  return fakePdf({
    paper: layout.paper,
    accent: layout.accent_color,
    title: render(blocks.title) || " ",
    watermark: "SAMPLE",
    lines,
    footer: render(blocks.legal_footer).slice(0, 120),
  });
}

// Enough to tell versions apart in the demo; the real checksum is the SHA-256 of the bundle.
function checksum(text: string): string {
  let out = "";
  for (let seed = 0; out.length < 64; seed++) {
    let hash = 2166136261 ^ seed;
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
    out += (hash >>> 0).toString(16).padStart(8, "0");
  }
  return out;
}

const layoutOf = (accent: string, paper: "a4" | "letter", locale: string): TemplateLayoutView => ({
  accent_color: accent,
  paper,
  locale,
  show_quantity: true,
  show_unit_price: true,
  show_discount: true,
  show_tax_rate: true,
  logo_png_base64: null,
});

export function templateLibrary(currentUser: () => { name: string; role: string } | null) {
  const versions = new Map<string, TemplateVersionView[]>();
  let defaultName = "standard-en";
  let clock = Date.parse("2025-06-20T08:00:00Z");

  const add = (input: SaveTemplateInput, author: string, at: string): TemplateVersionView => {
    const list = versions.get(input.name) ?? [];
    const version: TemplateVersionView = {
      name: input.name,
      version: list.length + 1,
      checksum: checksum(JSON.stringify([input.blocks, input.layout, list.length])),
      author,
      created_at: at,
      is_default: input.name === defaultName,
      blocks: { ...input.blocks },
      layout: { ...input.layout },
    };
    versions.set(input.name, [...list, version]);
    return version;
  };
  const en = layoutOf("#1F5FAD", "letter", "en-US");
  add({ name: "standard-en", blocks: STANDARD_EN, layout: en }, "System", "2025-01-06T09:00:00Z");
  add(
    { name: "standard-en", blocks: { ...STANDARD_EN, title: "Tax invoice" }, layout: en },
    "Dana Whitfield",
    "2025-03-02T14:12:00Z",
  );
  add({ name: "standard-en", blocks: STANDARD_EN, layout: en }, "Dana Whitfield", "2025-05-14T10:40:00Z");
  add(
    { name: "standard-de", blocks: STANDARD_DE, layout: layoutOf("#0F6E5A", "a4", "de-DE") },
    "System",
    "2025-01-06T09:00:00Z",
  );

  const newest = (name: string) => {
    const found = versions.get(name)?.at(-1);
    if (!found) throw { code: "not_found", message: `There is no template called ${name}.`, details: null };
    return { ...found, is_default: name === defaultName };
  };
  const requireAdmin = () => {
    if (currentUser()?.role !== "admin")
      throw { code: "forbidden", message: "Only administrators can change templates.", details: null };
  };

  /** Answers a template command, or returns undefined for commands that are not about templates. */
  return function handle(command: string, args: Args): unknown {
    const input = args.input as SaveTemplateInput;
    switch (command) {
      case "list_templates":
        return [...versions.keys()].map((name) => {
          const { version, author, created_at } = newest(name);
          const summary = { name, current_version: version, is_default: name === defaultName };
          return { ...summary, updated_by: author, updated_at: created_at };
        });
      case "get_template": {
        const { name, version } = args.input as TemplateRefInput;
        if (version === null) return newest(name);
        const found = versions.get(name)?.find((v) => v.version === version);
        if (!found)
          throw { code: "not_found", message: `Version ${version} of ${name} does not exist.`, details: null };
        return { ...found, is_default: name === defaultName };
      }
      case "template_history":
        return [...(versions.get(args.name as string) ?? [])]
          .reverse()
          .map(({ version, checksum: sum, author, created_at }) => ({ version, checksum: sum, author, created_at }));
      case "save_template":
        requireAdmin();
        check(input.blocks);
        newest(input.name);
        clock += 60_000;
        return add(input, currentUser()?.name ?? "", new Date(clock).toISOString().replace(".000", ""));
      case "set_default_template":
        requireAdmin();
        newest(args.name as string);
        defaultName = args.name as string;
        return null;
      case "preview_template_pdf":
        check(input.blocks);
        return previewPdf(input.blocks, input.layout);
      default:
        return undefined;
    }
  };
}
