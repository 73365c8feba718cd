//! PDF typesetting with printpdf's operations API and the bundled DejaVu fonts.
//!
//! The page is built from measured text, not from HTML: the line-item table must break
//! across pages and repeat its header, which printpdf's HTML path cannot do.

mod assemble;
mod canvas;
mod fonts;
mod layout;
mod logo;
mod sections;
mod table;
mod text;

use crate::bundle::TemplateBundle;
use crate::error::DocumentError;
use crate::printed::PrintedInvoice;
use crate::renderer::RenderedBlocks;

pub(crate) use fonts::{is_right_to_left, FaceKind, FontLibrary};
pub(crate) use logo::PreparedLogo;

/// The largest box the logo is scaled into, in points.
const LOGO_BOX: (f32, f32) = (170.0, 48.0);

/// Typesets `view` with the layout of `bundle` and its already rendered `blocks`.
pub(crate) fn typeset(
    fonts: &FontLibrary,
    bundle: &TemplateBundle,
    view: &PrintedInvoice,
    blocks: &RenderedBlocks,
) -> Result<Vec<u8>, DocumentError> {
    let logo = bundle.prepared_logo()?;
    let logo_size = logo.as_ref().map(|l| l.fit(LOGO_BOX.0, LOGO_BOX.1));
    let design = layout::Design::new(fonts, bundle.layout(), view, blocks, logo_size);

    let mut flow = layout::Flow::new(&design);
    sections::letterhead(&mut flow);
    sections::parties(&mut flow);
    sections::text_block(&mut flow, &blocks.intro, layout::BODY);
    table::line_items(&mut flow);
    sections::totals(&mut flow);
    sections::closing(&mut flow);
    let pages = flow.finish();

    let info = assemble::DocumentInfo {
        title: format!("{} {}", blocks.title, design.number_display()),
        author: view.company.name.clone(),
        date: view.issue_date,
    };
    assemble::assemble(
        fonts,
        pages,
        bundle.layout().paper.size_pt(),
        logo.as_deref(),
        info,
    )
}
