//! Drawing onto one page: text, rules, filled boxes, links and the logo, expressed as
//! printpdf operations.
//!
//! Layout code measures from the top of the page downwards, as one reads; PDF measures
//! from the bottom upwards. The canvas is the one place that converts.

use printpdf::{
    Actions, BorderArray, Color, ColorArray, CurTransMat, FontId, Line, LinePoint, LinkAnnotation,
    Op, PaintMode, PdfFontHandle, Point, Pt, Rect, Rgb, TextItem, XObjectId, XObjectTransform,
};

use super::fonts::{BlockSet, FaceKind, FontLibrary};

/// An sRGB colour with channels in 0.0–1.0, as PDF wants them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Colour {
    pub r: f32,
    pub g: f32,
    pub b: f32,
}

impl Colour {
    /// A colour from 0–255 channels.
    pub(crate) const fn rgb8(r: u8, g: u8, b: u8) -> Colour {
        Colour {
            r: r as f32 / 255.0,
            g: g as f32 / 255.0,
            b: b as f32 / 255.0,
        }
    }

    fn pdf(self) -> Color {
        Color::Rgb(Rgb {
            r: self.r,
            g: self.g,
            b: self.b,
            icc_profile: None,
        })
    }
}

/// How a piece of text is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Style {
    /// Regular or bold.
    pub face: FaceKind,
    /// Font size in points.
    pub size: f32,
    /// Text colour.
    pub colour: Colour,
}

impl Style {
    /// The same style in another colour.
    pub(crate) fn in_colour(self, colour: Colour) -> Style {
        Style { colour, ..self }
    }

    /// The same style in the bold face.
    pub(crate) fn bold(self) -> Style {
        Style {
            face: FaceKind::Bold,
            ..self
        }
    }
}

/// The resource names the two faces are registered under in every document.
pub(crate) fn font_id(face: FaceKind) -> FontId {
    match face {
        FaceKind::Regular => FontId("F1".into()),
        FaceKind::Bold => FontId("F2".into()),
    }
}

/// The resource name of the logo image.
pub(crate) fn logo_id() -> XObjectId {
    XObjectId("Logo".into())
}

/// The operations of one page being drawn, plus which Unicode blocks its text used.
pub(crate) struct Canvas<'f> {
    fonts: &'f FontLibrary,
    height: f32,
    ops: Vec<Op>,
    used_regular: BlockSet,
    used_bold: BlockSet,
    /// Font, fill colour and stroke state last set on this page. Text and graphics state
    /// persists across text objects, so repeating an unchanged setting only makes the
    /// content stream longer and slower to write.
    font: Option<(FaceKind, f32)>,
    fill_colour: Option<Colour>,
    stroke: Option<(Colour, f32)>,
}

impl<'f> Canvas<'f> {
    /// An empty page `height` points tall.
    pub(crate) fn new(fonts: &'f FontLibrary, height: f32) -> Canvas<'f> {
        Canvas {
            fonts,
            height,
            ops: Vec::with_capacity(256),
            used_regular: BlockSet::new(),
            used_bold: BlockSet::new(),
            font: None,
            fill_colour: None,
            stroke: None,
        }
    }

    /// Width of `text` in `style`, in points.
    pub(crate) fn measure(&self, text: &str, style: Style) -> f32 {
        self.fonts.face(style.face).width(text, style.size)
    }

    /// Draws `text` with its left end at `x` and its baseline `baseline` points below
    /// the top of the page.
    pub(crate) fn text(&mut self, x: f32, baseline: f32, text: &str, style: Style) {
        if text.is_empty() {
            return;
        }
        let face = self.fonts.face(style.face);
        let used = match style.face {
            FaceKind::Regular => &mut self.used_regular,
            FaceKind::Bold => &mut self.used_bold,
        };
        let drawable = face.prepare(text, used);
        self.ops.push(Op::StartTextSection);
        if self.font != Some((style.face, style.size)) {
            self.font = Some((style.face, style.size));
            self.ops.push(Op::SetFont {
                font: PdfFontHandle::External(font_id(style.face)),
                size: Pt(style.size),
            });
        }
        self.set_fill(style.colour);
        self.ops.extend([
            Op::SetTextCursor {
                pos: Point {
                    x: Pt(x),
                    y: Pt(self.height - baseline),
                },
            },
            Op::ShowText {
                items: vec![TextItem::Text(drawable.into_owned())],
            },
            Op::EndTextSection,
        ]);
    }

    /// Draws `text` so that it ends at `right`.
    pub(crate) fn text_right(&mut self, right: f32, baseline: f32, text: &str, style: Style) {
        let width = self.measure(text, style);
        self.text(right - width, baseline, text, style);
    }

    /// A horizontal rule from `x1` to `x2`, `y` points below the top.
    pub(crate) fn rule(&mut self, x1: f32, x2: f32, y: f32, thickness: f32, colour: Colour) {
        let y = self.height - y;
        let point = |x: f32| LinePoint {
            p: Point { x: Pt(x), y: Pt(y) },
            bezier: false,
        };
        if self.stroke != Some((colour, thickness)) {
            self.stroke = Some((colour, thickness));
            self.ops.extend([
                Op::SetOutlineColor { col: colour.pdf() },
                Op::SetOutlineThickness { pt: Pt(thickness) },
            ]);
        }
        self.ops.push(Op::DrawLine {
            line: Line {
                points: vec![point(x1), point(x2)],
                is_closed: false,
            },
        });
    }

    /// A filled box whose top-left corner is `top` points below the top of the page.
    pub(crate) fn fill(&mut self, x: f32, top: f32, width: f32, height: f32, colour: Colour) {
        self.set_fill(colour);
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(x),
                y: Pt(self.height - top - height),
                width: Pt(width),
                height: Pt(height),
                mode: Some(PaintMode::Fill),
                winding_order: None,
            },
        });
    }

    /// Makes the box (top-left corner `top` below the page top) open `url` when clicked.
    pub(crate) fn link(&mut self, x: f32, top: f32, width: f32, height: f32, url: &str) {
        self.ops.push(Op::LinkAnnotation {
            link: LinkAnnotation::new(
                Rect {
                    x: Pt(x),
                    y: Pt(self.height - top - height),
                    width: Pt(width),
                    height: Pt(height),
                    mode: None,
                    winding_order: None,
                },
                Actions::uri(url.to_string()),
                Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                Some(ColorArray::Transparent),
                None,
            ),
        });
    }

    /// Draws the logo into the box whose top-left corner is `top` below the page top.
    pub(crate) fn logo(&mut self, x: f32, top: f32, width: f32, height: f32) {
        self.ops.extend([
            Op::SaveGraphicsState,
            Op::SetTransformationMatrix {
                matrix: CurTransMat::Raw([width, 0.0, 0.0, height, x, self.height - top - height]),
            },
            Op::UseXobject {
                id: logo_id(),
                transform: XObjectTransform {
                    no_auto_scale: true,
                    ..XObjectTransform::default()
                },
            },
            Op::RestoreGraphicsState,
        ]);
    }

    fn set_fill(&mut self, colour: Colour) {
        if self.fill_colour != Some(colour) {
            self.fill_colour = Some(colour);
            self.ops.push(Op::SetFillColor { col: colour.pdf() });
        }
    }

    /// The finished page's operations and the blocks its regular and bold text used.
    pub(crate) fn finish(self) -> (Vec<Op>, BlockSet, BlockSet) {
        (self.ops, self.used_regular, self.used_bold)
    }
}
