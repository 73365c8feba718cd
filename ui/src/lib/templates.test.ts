import { describe, expect, it } from "vitest";
import type { TemplateBlocksView } from "./bindings/TemplateBlocksView";
import type { TemplateLayoutView } from "./bindings/TemplateLayoutView";
import {
  BLOCK_GROUPS,
  BLOCK_NAMES,
  blockError,
  blockLabel,
  describeBlockError,
  offsetOf,
  sameContent,
  shortChecksum,
  templateErrors,
} from "./templates";

describe("BLOCK_GROUPS", () => {
  it("shows each of the 14 blocks exactly once", () => {
    expect(BLOCK_NAMES).toHaveLength(14);
    expect(new Set(BLOCK_NAMES).size).toBe(14);
    expect(BLOCK_GROUPS.map((g) => g.title)).toEqual(["Invoice", "Email", "Reminder 1", "Reminder 2", "Reminder 3"]);
    expect(BLOCK_GROUPS[4]?.blocks.map((b) => b.name)).toEqual(["reminder_3_subject", "reminder_3_body"]);
  });

  it("names a block by its group, since every reminder has a Subject and a Body", () => {
    expect(blockLabel("reminder_2_body")).toBe("Reminder 2 · Body");
    expect(blockLabel("payment_instructions")).toBe("Invoice · Payment instructions");
  });
});

describe("blockError", () => {
  it("takes line and column from the backend's numbers, not from its sentence", () => {
    expect(
      blockError({
        field: "blocks.title",
        message: "whatever the sentence says",
        reason: "expected `}}`",
        line: 3,
        column: 14,
      }),
    ).toEqual({ message: "expected `}}`", line: 3, column: 14 });
  });

  it("keeps a detail without a position whole", () => {
    expect(blockError({ field: "blocks.title", message: "Variable `foo` not found" })).toEqual({
      message: "Variable `foo` not found",
      line: null,
      column: null,
    });
  });

  it("describes errors for the reader", () => {
    expect(describeBlockError({ message: "unexpected end", line: 2, column: 1 })).toBe(
      "Line 2, column 1: unexpected end",
    );
    expect(describeBlockError({ message: "unexpected end", line: null, column: null })).toBe("unexpected end");
  });
});

describe("templateErrors", () => {
  it("maps details to the blocks and layout options they name", () => {
    const errors = templateErrors({
      code: "validation",
      message: "The template has errors.",
      details: [
        { field: "blocks.email_body", message: "x", reason: "unknown filter `mony`", line: 4, column: 9 },
        { field: "blocks.email_body", message: "x", reason: "later problem", line: 9, column: 1 },
        { field: "blocks.title", message: "x", reason: "expected an expression", line: 1, column: 3 },
        { field: "layout.accent_color", message: "must be #RRGGBB" },
      ],
    });
    expect(errors.blocks).toEqual({
      email_body: { message: "unknown filter `mony`", line: 4, column: 9 },
      title: { message: "expected an expression", line: 1, column: 3 },
    });
    expect(errors.layout).toEqual({ accent_color: "must be #RRGGBB" });
    expect(errors.other).toEqual([]);
  });

  it("keeps details it cannot place, and non-validation errors, as sentences", () => {
    expect(
      templateErrors({
        code: "validation",
        message: "Invalid.",
        details: [
          { field: "blocks.unknown_block", message: "line 1, column 1: nope" },
          { field: "name", message: "is required" },
        ],
      }).other,
    ).toEqual(["blocks.unknown_block: line 1, column 1: nope", "name: is required"]);
    expect(templateErrors({ code: "forbidden", message: "Admins only.", details: null })).toEqual({
      blocks: {},
      layout: {},
      other: ["Admins only."],
    });
    expect(templateErrors(null).other).toEqual([]);
  });
});

describe("offsetOf", () => {
  const text = "ab\ncdef\ng";
  it("finds a 1-based line and column", () => {
    expect(offsetOf(text, 1, 1)).toBe(0);
    expect(offsetOf(text, 2, 3)).toBe(5);
    expect(offsetOf(text, 3, 1)).toBe(8);
  });
  it("stays inside the text for positions past its end", () => {
    expect(offsetOf(text, 2, 99)).toBe(7);
    expect(offsetOf(text, 9, 1)).toBe(text.length);
  });
});

describe("sameContent", () => {
  const blocks = Object.fromEntries(BLOCK_NAMES.map((name) => [name, `{{ ${name} }}`])) as TemplateBlocksView;
  const layout: TemplateLayoutView = {
    accent_color: "#1F5FAD",
    paper: "letter",
    locale: "en-US",
    show_quantity: true,
    show_unit_price: true,
    show_discount: true,
    show_tax_rate: true,
    logo_png_base64: null,
  };

  it("ignores the case of the accent colour", () => {
    expect(sameContent({ blocks, layout }, { blocks, layout: { ...layout, accent_color: "#1f5fad" } })).toBe(true);
  });

  it("notices a changed block or option", () => {
    expect(sameContent({ blocks, layout }, { blocks: { ...blocks, title: "Rechnung" }, layout })).toBe(false);
    expect(sameContent({ blocks, layout }, { blocks, layout: { ...layout, show_discount: false } })).toBe(false);
    expect(sameContent({ blocks, layout }, { blocks, layout: { ...layout, logo_png_base64: "iVBOR" } })).toBe(false);
  });
});

describe("shortChecksum", () => {
  it("keeps the start and the end of a long hash", () => {
    expect(shortChecksum("3f2a9c0d11223344556677889900aabbccddeeff00112233445566778899e81b")).toBe("3f2a9c0d…e81b");
    expect(shortChecksum("abc")).toBe("abc");
  });
});
