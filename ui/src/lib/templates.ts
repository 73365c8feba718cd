// The template editor's model: which text blocks exist and how they are grouped, and how the
// backend's template errors are placed next to the block they belong to.
import type { ErrorDetail } from "./bindings/ErrorDetail";
import type { SaveTemplateInput } from "./bindings/SaveTemplateInput";
import type { TemplateBlocksView } from "./bindings/TemplateBlocksView";
import type { TemplateLayoutView } from "./bindings/TemplateLayoutView";
import { errorMessage, isApiError } from "./errors";

export type BlockName = keyof TemplateBlocksView;

type BlockGroup = { title: string; hint: string; blocks: { name: BlockName; label: string; rows: number }[] };

/** Every block in the order the editor shows it; the groups follow where the text ends up. */
export const BLOCK_GROUPS: readonly BlockGroup[] = [
  {
    title: "Invoice",
    hint: "Printed on the PDF",
    blocks: [
      { name: "title", label: "Title", rows: 1 },
      { name: "intro", label: "Introduction", rows: 3 },
      { name: "notes", label: "Notes", rows: 2 },
      { name: "payment_instructions", label: "Payment instructions", rows: 5 },
      { name: "legal_footer", label: "Legal footer", rows: 2 },
      { name: "region_statement", label: "Region statement", rows: 5 },
    ],
  },
  {
    title: "Email",
    hint: "Sent with the invoice attached",
    blocks: [
      { name: "email_subject", label: "Subject", rows: 1 },
      { name: "email_body", label: "Body", rows: 8 },
    ],
  },
  ...([1, 2, 3] as const).map((step) => ({
    title: `Reminder ${step}`,
    hint: `Sent ${({ 1: 7, 2: 14, 3: 30 } as const)[step]} days after the due date`,
    blocks: [
      { name: `reminder_${step}_subject` as BlockName, label: "Subject", rows: 1 },
      { name: `reminder_${step}_body` as BlockName, label: "Body", rows: 8 },
    ],
  })),
];

export const BLOCK_NAMES: readonly BlockName[] = BLOCK_GROUPS.flatMap((group) => group.blocks.map((b) => b.name));

/** One template error, placed at its block; `line` and `column` are 1-based when known. */
export type BlockError = { message: string; line: number | null; column: number | null };

export type TemplateErrors = {
  blocks: Partial<Record<BlockName, BlockError>>;
  /** Layout problems by option, e.g. `accent_color`. */
  layout: Readonly<Record<string, string>>;
  /** Anything without a place in the editor, as sentences; empty when every error was placed. */
  other: string[];
};

export const NO_TEMPLATE_ERRORS: TemplateErrors = { blocks: {}, layout: {}, other: [] };

const isBlockName = (name: string): name is BlockName => (BLOCK_NAMES as readonly string[]).includes(name);

/** A template error as the backend sends it: the position as numbers, the reason without it. */
export function blockError(detail: ErrorDetail): BlockError {
  return {
    message: (detail.reason ?? detail.message).trim(),
    line: detail.line ?? null,
    column: detail.column ?? null,
  };
}

/** "Line 3, column 14: expected …" — the form shown next to a block. */
export function describeBlockError(error: BlockError): string {
  return error.line === null ? error.message : `Line ${error.line}, column ${error.column}: ${error.message}`;
}

/**
 * Splits a rejected save or preview into messages per block (`details[].field = "blocks.<name>"`)
 * and per layout option (`layout.<option>`). When a block has two problems the first is shown,
 * since its position is where the parser stopped.
 */
export function templateErrors(reason: unknown): TemplateErrors {
  if (reason === null || reason === undefined) return NO_TEMPLATE_ERRORS;
  if (!isApiError(reason) || reason.code !== "validation" || !reason.details?.length) {
    return { blocks: {}, layout: {}, other: [errorMessage(reason)] };
  }
  const blocks: Partial<Record<BlockName, BlockError>> = {};
  const layout: Record<string, string> = {};
  const other: string[] = [];
  for (const detail of reason.details) {
    const { field, message } = detail;
    const [scope, name = ""] = field.split(/\.(.*)/s);
    if (scope === "blocks" && isBlockName(name)) blocks[name] ??= blockError(detail);
    else if (scope === "layout" && name !== "") layout[name] = layout[name] ? `${layout[name]} ${message}` : message;
    else other.push(field ? `${field}: ${message}` : message);
  }
  return { blocks, layout, other };
}

/** Character offsets of a 1-based line and column in a text, to put the caret on an error. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf("\n", offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  const lineEnd = text.indexOf("\n", offset);
  const end = lineEnd === -1 ? text.length : lineEnd;
  return Math.min(offset + Math.max(column - 1, 0), end);
}

export type TemplateContent = { blocks: TemplateBlocksView; layout: TemplateLayoutView };

/** Whether two versions say the same thing; decides the unsaved-changes guard. */
export function sameContent(a: TemplateContent, b: TemplateContent): boolean {
  const sameBlocks = BLOCK_NAMES.every((name) => a.blocks[name] === b.blocks[name]);
  const la = a.layout;
  const lb = b.layout;
  return (
    sameBlocks &&
    // The colour picker reports lower case; "#1F5FAD" and "#1f5fad" are one colour.
    la.accent_color.toLowerCase() === lb.accent_color.toLowerCase() &&
    la.paper === lb.paper &&
    la.locale === lb.locale &&
    la.show_quantity === lb.show_quantity &&
    la.show_unit_price === lb.show_unit_price &&
    la.show_discount === lb.show_discount &&
    la.show_tax_rate === lb.show_tax_rate &&
    la.logo_png_base64 === lb.logo_png_base64
  );
}

export function toSaveInput(name: string, content: TemplateContent): SaveTemplateInput {
  return { name, blocks: { ...content.blocks }, layout: { ...content.layout } };
}

/** `3f2a9c…e81b` for a SHA-256 in hex: enough to compare by eye, short enough for a table. */
export function shortChecksum(hex: string, keep = 8): string {
  return hex.length <= keep + 5 ? hex : `${hex.slice(0, keep)}…${hex.slice(-4)}`;
}

/** "Reminder 2 · Body": where a block sits in the editor, for messages that point to it. */
export function blockLabel(name: BlockName): string {
  for (const group of BLOCK_GROUPS) {
    const block = group.blocks.find((b) => b.name === name);
    if (block) return `${group.title} · ${block.label}`;
  }
  return name;
}
