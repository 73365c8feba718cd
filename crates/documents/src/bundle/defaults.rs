//! The default bundles shipped in `templates/` at the repository root, compiled in.

use serde::Deserialize;

use super::{BlockName, LayoutOptions, TemplateBlocks, TemplateBundle};

/// The `bundle.json` manifest of a default bundle directory.
#[derive(Deserialize)]
struct Manifest {
    name: String,
    layout: LayoutOptions,
}

/// The files of one bundle directory: its manifest and one source per block, in
/// [`BlockName::ALL`] order.
struct BundleFiles {
    manifest: &'static str,
    blocks: [&'static str; 14],
}

/// Includes `templates/<dir>/bundle.json` and `templates/<dir>/<block>.tera` for every block.
macro_rules! bundle_files {
    ($dir:literal) => {
        BundleFiles {
            manifest: bundle_files!(@file $dir, "bundle.json"),
            blocks: [
                bundle_files!(@file $dir, "title.tera"),
                bundle_files!(@file $dir, "intro.tera"),
                bundle_files!(@file $dir, "notes.tera"),
                bundle_files!(@file $dir, "payment_instructions.tera"),
                bundle_files!(@file $dir, "legal_footer.tera"),
                bundle_files!(@file $dir, "region_statement.tera"),
                bundle_files!(@file $dir, "email_subject.tera"),
                bundle_files!(@file $dir, "email_body.tera"),
                bundle_files!(@file $dir, "reminder_1_subject.tera"),
                bundle_files!(@file $dir, "reminder_1_body.tera"),
                bundle_files!(@file $dir, "reminder_2_subject.tera"),
                bundle_files!(@file $dir, "reminder_2_body.tera"),
                bundle_files!(@file $dir, "reminder_3_subject.tera"),
                bundle_files!(@file $dir, "reminder_3_body.tera"),
            ],
        }
    };
    (@file $dir:literal, $file:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../templates/", $dir, "/", $file))
    };
}

/// The bundles every installation starts with, as `(name, bundle)` pairs:
/// `standard-en` (en-US, Letter) and `standard-de` (de-DE, A4).
pub fn default_bundles() -> Vec<(String, TemplateBundle)> {
    [bundle_files!("standard-en"), bundle_files!("standard-de")]
        .iter()
        .map(load)
        .collect()
}

fn load(files: &BundleFiles) -> (String, TemplateBundle) {
    // The manifests are compiled in and parsed by this crate's tests, so a failure here
    // is a build defect, not a runtime condition.
    let manifest: Manifest =
        serde_json::from_str(files.manifest).expect("templates/*/bundle.json is valid");
    let mut blocks = TemplateBlocks {
        title: String::new(),
        intro: String::new(),
        notes: String::new(),
        payment_instructions: String::new(),
        legal_footer: String::new(),
        region_statement: String::new(),
        email_subject: String::new(),
        email_body: String::new(),
        reminder_1_subject: String::new(),
        reminder_1_body: String::new(),
        reminder_2_subject: String::new(),
        reminder_2_body: String::new(),
        reminder_3_subject: String::new(),
        reminder_3_body: String::new(),
    };
    for (name, source) in BlockName::ALL.iter().zip(files.blocks) {
        blocks.set(*name, source);
    }
    (manifest.name, TemplateBundle::new(blocks, manifest.layout))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::Locale;

    #[test]
    fn english_and_german_bundles_ship() {
        let bundles = default_bundles();
        let names: Vec<&str> = bundles.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["standard-en", "standard-de"]);
        assert_eq!(bundles[0].1.layout().locale, Locale::EnUs);
        assert_eq!(bundles[1].1.layout().locale, Locale::DeDe);
        assert!(bundles[1]
            .1
            .blocks()
            .get(BlockName::Title)
            .contains("Rechnung"));
    }
}
