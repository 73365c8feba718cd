//! Times reading a whole file the way a bulk import does: sniff the first
//! 64 KB, then stream every row and parse its numbers and dates under the
//! sniffed styles. Run it under `/usr/bin/time -v` for the peak memory.
//!
//! ```text
//! python3 ../shared/fixtures/gen_bulk_csv.py 100000 /tmp/bulk-100k.csv
//! cargo run --release -p invoicer-import --example read_rows -- /tmp/bulk-100k.csv
//! ```

use std::io::{BufReader, Read};
use std::time::Instant;

use invoicer_domain::bulk_mapping::{DateStyle, NumberStyle, TargetField};
use invoicer_import::{parse_date, parse_number, sniff, DateGuess, NumberGuess, Rows, SNIFF_LEN};

fn main() {
    let path = std::env::args().nth(1).expect("usage: read_rows FILE.csv");
    let start = Instant::now();
    let mut file = std::fs::File::open(&path).expect("open the file");
    let mut prefix = Vec::with_capacity(SNIFF_LEN);
    (&mut file)
        .take(SNIFF_LEN as u64)
        .read_to_end(&mut prefix)
        .expect("read the start");
    let sniffed = sniff(&prefix).expect("sniff");
    let sniff_time = start.elapsed();
    let numbers = match sniffed.numbers {
        NumberGuess::Certain(style) => style,
        _ => NumberStyle::default(),
    };
    let dates = match sniffed.dates {
        DateGuess::Certain(style) => style,
        _ => DateStyle::Iso,
    };
    let column = |field: TargetField| {
        sniffed
            .mapping
            .columns
            .iter()
            .position(|c| c.field == Some(field))
    };
    let number_columns: Vec<usize> = [TargetField::Quantity, TargetField::UnitPrice]
        .into_iter()
        .filter_map(column)
        .collect();
    let date_column = column(TargetField::IssueDate);

    let file = std::fs::File::open(&path).expect("open the file");
    let rows = Rows::new(BufReader::new(file), &sniffed.read_options()).expect("the header");
    let (mut ok, mut bad_rows, mut bad_values) = (0u64, 0u64, 0u64);
    for row in rows {
        let Ok(row) = row else {
            bad_rows += 1;
            continue;
        };
        ok += 1;
        for i in &number_columns {
            bad_values += u64::from(parse_number(&row.fields[*i], numbers).is_err());
        }
        if let Some(i) = date_column {
            bad_values += u64::from(parse_date(&row.fields[i], dates).is_err());
        }
    }
    let total = start.elapsed();
    println!(
        "{ok} rows ({bad_rows} broken, {bad_values} values refused) in {:.0} ms (sniff {:.1} ms), {:.0} rows/s; encoding {}, delimiter {:?}",
        total.as_secs_f64() * 1e3,
        sniff_time.as_secs_f64() * 1e3,
        ok as f64 / total.as_secs_f64(),
        sniffed.encoding.label(),
        sniffed.delimiter
    );
}
