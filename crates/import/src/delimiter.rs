//! Which of `,` `;` tab `|` separates the fields: the one that splits the
//! first records into the same number of fields (more than one), with
//! quotes respected by reading them with the real CSV parser.

/// The delimiters the importer reads, in the order ties are broken.
pub const DELIMITERS: [char; 4] = [',', ';', '\t', '|'];

/// How many records the sniffer looks at.
const SAMPLE_RECORDS: usize = 50;

/// The delimiter of `text` (the decoded start of a file); `,` when no
/// candidate splits the header into more than one field.
pub(crate) fn sniff_delimiter(text: &str) -> char {
    let mut best = (',', 0usize, 0usize);
    for candidate in DELIMITERS {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(candidate as u8)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let counts: Vec<usize> = reader
            .records()
            .map_while(Result::ok)
            .filter(|r| r.iter().any(|f| !f.trim().is_empty()))
            .take(SAMPLE_RECORDS)
            .map(|r| r.len())
            .collect();
        let Some(&header) = counts.first() else {
            continue;
        };
        if header < 2 {
            continue;
        }
        // Per mille of records with the header's count, then more fields.
        let consistent = counts.iter().filter(|c| **c == header).count() * 1000 / counts.len();
        if (consistent, header) > (best.1, best.2) {
            best = (candidate, consistent, header);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delimiter_that_splits_every_line_alike_wins() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), ',');
        assert_eq!(
            sniff_delimiter("Name;Betrag\nMüller;1.249,50\nSchmidt;12,5\n"),
            ';'
        );
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), '\t');
        assert_eq!(sniff_delimiter("a|b|c\n1|2,5|3\n"), '|');
        // Commas inside quotes do not count.
        assert_eq!(sniff_delimiter("a;b\n\"x, y, z\";2\n\"p, q\";3\n"), ';');
        assert_eq!(sniff_delimiter("single\nvalue\n"), ',');
    }
}
