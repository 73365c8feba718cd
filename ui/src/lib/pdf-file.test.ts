import { describe, expect, it } from "vitest";
import { pdfFileName } from "./pdf-file";

describe("pdfFileName", () => {
  it("names an issued invoice's PDF after its number", () => {
    expect(pdfFileName({ id: 7, number: "INV-2025-00042" })).toBe("INV-2025-00042.pdf");
  });

  it("names a draft's PDF after its id", () => {
    expect(pdfFileName({ id: 1007, number: null })).toBe("draft-1007.pdf");
    expect(pdfFileName({ id: 1007, number: "" })).toBe("draft-1007.pdf");
  });

  it("turns characters a file name cannot hold into dashes", () => {
    expect(pdfFileName({ id: 1, number: "2025/042" })).toBe("2025-042.pdf");
    expect(pdfFileName({ id: 1, number: 'A:B*C?"D<E>F|G\\H' })).toBe("A-B-C-D-E-F-G-H.pdf");
  });

  it("never suggests a hidden or empty name", () => {
    expect(pdfFileName({ id: 3, number: "../" })).toBe("draft-3.pdf");
    expect(pdfFileName({ id: 3, number: ".INV 1." })).toBe("INV 1.pdf");
  });
});
