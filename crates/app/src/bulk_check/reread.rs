//! The first look at a file again, as the person chose to read it: when the
//! encoding or delimiter they picked differs from the sniffed one, the
//! headers, the preview and the auto-mapping are read again with their
//! choice, so that the mapping screen shows the file exactly as a run would
//! read it and a wrong choice shows as wrong text, never as a preview decoded
//! with the guess the person just rejected.

use crate::api::BulkCheckInput;
use crate::{ApiError, AppResult};
use invoicer_import::{auto_map, Encoding, ReadOptions, Rows, Sniffed, PREVIEW_ROWS};

/// `sniffed`, with its headers, preview and mapping read again from
/// `prefix` when `input` names another encoding or delimiter. A choice that
/// is no encoding or delimiter at all is left for `settle` to refuse on its
/// field; one the file's first line cannot be read in is refused here.
pub(super) fn as_chosen(
    mut sniffed: Sniffed,
    prefix: &[u8],
    input: &BulkCheckInput,
) -> AppResult<Sniffed> {
    let encoding = match input.encoding.as_deref().map(str::trim) {
        Some(label) if !label.is_empty() => match Encoding::for_label(label.as_bytes()) {
            Some(e) => e,
            None => return Ok(sniffed),
        },
        _ => sniffed.encoding.encoding,
    };
    let delimiter = match input.delimiter.as_deref() {
        Some("\\t") | Some("tab") => '\t',
        Some(d) if d.chars().count() == 1 => d.chars().next().unwrap_or(sniffed.delimiter),
        _ => sniffed.delimiter,
    };
    if encoding == sniffed.encoding.encoding && delimiter == sniffed.delimiter {
        return Ok(sniffed);
    }
    if !invoicer_import::DELIMITERS.contains(&delimiter) {
        return Ok(sniffed);
    }
    let options = ReadOptions {
        encoding,
        delimiter,
    };
    let rows = Rows::new(prefix, &options).map_err(|e| {
        ApiError::field(
            if encoding == sniffed.encoding.encoding {
                "delimiter"
            } else {
                "encoding"
            },
            input.encoding.as_deref().unwrap_or(encoding.name()),
            &format!("the file cannot be read this way: {e}"),
        )
    })?;
    sniffed.headers = rows.headers().to_vec();
    sniffed.mapping = auto_map(&sniffed.headers);
    sniffed.delimiter = delimiter;
    sniffed.preview = rows.take(PREVIEW_ROWS).collect();
    Ok(sniffed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use invoicer_import::sniff;

    const SEMICOLONS: &[u8] =
        "Rechnungsnummer;Kunde;E-Mail\nR-1;Jürgen Größe;j@example.de\n".as_bytes();

    fn input(encoding: Option<&str>, delimiter: Option<&str>) -> BulkCheckInput {
        BulkCheckInput {
            path: "f.csv".into(),
            encoding: encoding.map(Into::into),
            delimiter: delimiter.map(Into::into),
            ..BulkCheckInput::default()
        }
    }

    #[test]
    fn another_delimiter_splits_the_headers_and_preview_again() {
        let sniffed = sniff(SEMICOLONS).expect("sniffed");
        assert_eq!(sniffed.headers.len(), 3);
        let again = as_chosen(sniffed, SEMICOLONS, &input(None, Some(","))).expect("read");
        assert_eq!(again.headers, ["Rechnungsnummer;Kunde;E-Mail"]);
        assert_eq!(again.mapping.columns.len(), 1);
        let first = again.preview[0].as_ref().expect("a row");
        assert_eq!(first.fields, ["R-1;Jürgen Größe;j@example.de"]);
    }

    #[test]
    fn another_encoding_decodes_the_preview_again() {
        // Windows-1252 bytes: "Jürgen Größe" with ü = 0xFC, ö = 0xF6, ß = 0xDF.
        let bytes: &[u8] = b"Kunde;Ort\nJ\xfcrgen Gr\xf6\xdfe;K\xf6ln\n";
        let sniffed = sniff(bytes).expect("sniffed");
        let guessed = sniffed.preview[0].as_ref().expect("a row").fields[0].clone();
        assert_eq!(guessed, "Jürgen Größe");
        let again = as_chosen(sniffed, bytes, &input(Some("utf-16le"), None)).expect("read");
        let shown: Vec<String> = again
            .preview
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .flat_map(|r| r.fields.clone())
            .collect();
        assert!(
            !shown.iter().any(|f| f.contains("Jürgen")),
            "still decoded with the guess: {shown:?}"
        );
    }

    #[test]
    fn the_same_choices_as_sniffed_change_nothing() {
        let sniffed = sniff(SEMICOLONS).expect("sniffed");
        let same = as_chosen(
            sniffed.clone(),
            SEMICOLONS,
            &input(Some("utf-8"), Some(";")),
        )
        .expect("read");
        assert_eq!(same, sniffed);
    }
}
