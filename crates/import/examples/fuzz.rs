//! A small coverage-free fuzz driver: mutates the corpus in
//! tests/fuzz-corpus/import with a seeded generator and feeds every input to
//! `sniff`, the streaming reader, `parse_number` (checked against an
//! independent grammar) and `parse_date`. A panic or a number outside its
//! declared style is saved beside the corpus as `finding-*` and counted.
//!
//! ```text
//! cargo run --release -p invoicer-import --example fuzz -- [EXECUTIONS] [SEED] [--save]
//! ```
//! `--save` adds inputs whose outcome has not been seen before to the corpus
//! (at most 40 per run, each at most 1 KB).

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

use invoicer_domain::bulk_mapping::{DateStyle, NumberStyle};
use invoicer_import::{
    parse_date, parse_number, sniff, Encoding, ReadOptions, Rows, DELIMITERS, NUMBER_STYLES,
};
use regex::Regex;
use rust_decimal::Decimal;

/// Byte strings worth splicing in: separators, quotes, line ends, BOMs,
/// multi-byte and single-byte umlauts, number and date pieces.
const TOKENS: &[&[u8]] = &[
    b",",
    b";",
    b"\t",
    b"|",
    b"\"",
    b"\"\"",
    b"\n",
    b"\r\n",
    b"\r",
    b"\xEF\xBB\xBF",
    b"\xFF\xFE",
    b"\xFE\xFF",
    b"\xC3\xBC",
    b"\xFC",
    b"\x80",
    b"\0",
    b"1.249,50",
    b"1,249.50",
    b"12,5",
    b"-",
    b"+",
    b"=",
    b"1 000",
    b"\xC2\xA0",
    b"'",
    b"31.02.2026",
    b"2026-02-29",
    b"12/31/2026",
    b"1/2/26",
    b"0.0125",
    b"99999999999999999999999999999",
    b"Email",
    b"Qty",
    b"Unit Price",
    b"\xF0\x9F\x98\x80",
];

struct Oracle {
    grammars: Vec<(NumberStyle, Regex)>,
}

impl Oracle {
    fn new() -> Oracle {
        let grammars = NUMBER_STYLES
            .iter()
            .map(|s| {
                let d = regex::escape(&s.decimal.to_string());
                let int = match s.thousands {
                    Some(t) => format!(
                        r"(?:[0-9]{{1,3}}(?:{}[0-9]{{3}})+|[0-9]+)",
                        regex::escape(&t.to_string())
                    ),
                    None => r"[0-9]+".to_owned(),
                };
                (
                    *s,
                    Regex::new(&format!(r"^\s*-?{int}(?:{d}[0-9]+)?\s*$")).unwrap(),
                )
            })
            .collect();
        Oracle { grammars }
    }

    /// Runs every target on `input`; the outcome's signature, or the
    /// property that failed.
    fn run(&self, input: &[u8]) -> Result<u64, String> {
        let mut sig = DefaultHasher::new();
        match sniff(input) {
            Ok(s) => {
                (s.encoding.label(), s.delimiter, s.headers.len().min(8)).hash(&mut sig);
                std::mem::discriminant(&s.numbers).hash(&mut sig);
                std::mem::discriminant(&s.dates).hash(&mut sig);
                let mut rows = 0usize;
                if let Ok(reader) = Rows::new(input, &s.read_options()) {
                    for row in reader {
                        rows += 1;
                        if let Err(e) = row {
                            std::mem::discriminant(&e).hash(&mut sig);
                        }
                    }
                }
                rows.min(8).hash(&mut sig);
            }
            Err(e) => e.to_string().len().hash(&mut sig),
        }
        let utf8 = ReadOptions {
            encoding: Encoding::for_label(b"utf-8").unwrap(),
            delimiter: DELIMITERS[input.len() % 4],
        };
        if let Ok(reader) = Rows::new(input, &utf8) {
            reader.take(64).for_each(drop);
        }
        let text = String::from_utf8_lossy(input);
        for cell in text.split(['\n', ';', '|']).take(8) {
            for (style, grammar) in &self.grammars {
                let got = parse_number(cell, *style);
                let fits = grammar.is_match(cell);
                match got {
                    Ok(v) if !fits => {
                        return Err(format!("{cell:?} accepted under {style:?} as {v}"))
                    }
                    Ok(v) if Some(v) != plain(cell, *style) => {
                        return Err(format!("{cell:?} under {style:?} read as {v}"))
                    }
                    Err(e) if fits && cell.chars().filter(char::is_ascii_digit).count() <= 28 => {
                        return Err(format!("{cell:?} refused under {style:?}: {e}"))
                    }
                    _ => {}
                }
            }
            for style in [
                DateStyle::Iso,
                DateStyle::DayMonthYear,
                DateStyle::MonthDayYear,
            ] {
                let _ = parse_date(cell, style);
            }
        }
        Ok(sig.finish())
    }
}

fn plain(text: &str, style: NumberStyle) -> Option<Decimal> {
    let plain: String = text
        .trim()
        .chars()
        .filter(|c| Some(*c) != style.thousands)
        .map(|c| if c == style.decimal { '.' } else { c })
        .collect();
    Decimal::from_str_exact(&plain).ok()
}

fn mutate(rng: &mut fastrand::Rng, corpus: &[Vec<u8>]) -> Vec<u8> {
    let mut data = corpus[rng.usize(..corpus.len())].clone();
    for _ in 0..rng.usize(1..=4) {
        let at = rng.usize(..=data.len());
        match rng.u8(..7) {
            0 if !data.is_empty() => {
                let i = rng.usize(..data.len());
                data[i] ^= 1 << rng.u8(..8);
            }
            1 if !data.is_empty() => {
                let i = rng.usize(..data.len());
                data[i] = rng.u8(..);
            }
            2 => {
                let token = TOKENS[rng.usize(..TOKENS.len())];
                data.splice(at..at, token.iter().copied());
            }
            3 if !data.is_empty() => {
                let end = (at + rng.usize(..16)).min(data.len());
                data.drain(at.min(end)..end);
            }
            4 => data.truncate(at),
            5 => {
                let other = &corpus[rng.usize(..corpus.len())];
                let from = rng.usize(..=other.len());
                let to = (from + rng.usize(..64)).min(other.len());
                data.splice(at..at, other[from..to].iter().copied());
            }
            _ => {
                let end = (at + rng.usize(..32)).min(data.len());
                let chunk = data[at..end].to_vec();
                data.splice(at..at, chunk);
            }
        }
    }
    data.truncate(2048);
    data
}

/// Writes an input to the corpus folder whole (a temporary file renamed), so
/// a killed run leaves no half-written input behind.
fn save_input(dir: &Path, name: &str, input: &[u8]) {
    let mut file = tempfile::NamedTempFile::new_in(dir).expect("a file in the corpus folder");
    std::io::Write::write_all(&mut file, input).expect("write the input");
    file.persist(dir.join(name)).expect("name the input");
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let numbers: Vec<u64> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let executions = numbers.first().copied().unwrap_or(1_000_000);
    let seed = numbers.get(1).copied().unwrap_or(20_261_126);
    let save = args.iter().any(|a| a == "--save");
    let dir: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fuzz-corpus/import");
    let mut corpus: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .expect("the corpus folder")
        .filter_map(|e| std::fs::read(e.ok()?.path()).ok())
        .collect();
    corpus.push(Vec::new());
    // Panics are findings, counted and saved; keep their messages short.
    std::panic::set_hook(Box::new(|info| eprintln!("panic: {info}")));
    let oracle = Oracle::new();
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut seen: HashSet<u64> = HashSet::new();
    let (mut findings, mut saved) = (0u64, 0usize);
    let start = Instant::now();
    for n in 1..=executions {
        let input = mutate(&mut rng, &corpus);
        let outcome = catch_unwind(AssertUnwindSafe(|| oracle.run(&input)))
            .unwrap_or_else(|_| Err("panicked".to_owned()));
        match outcome {
            Ok(sig) => {
                if seen.insert(sig) && save && saved < 40 && input.len() <= 1024 {
                    let name = format!("found-{seed}-{n}");
                    save_input(&dir, &name, &input);
                    corpus.push(input);
                    saved += 1;
                }
            }
            Err(what) => {
                findings += 1;
                eprintln!("finding after {n} executions: {what}");
                let name = format!("finding-{seed}-{n}");
                save_input(&dir, &name, &input);
            }
        }
        if n % 1_000_000 == 0 {
            let secs = start.elapsed().as_secs_f64();
            eprintln!(
                "{n} executions, {secs:.0} s, {:.0}/s, {} outcomes",
                n as f64 / secs,
                seen.len()
            );
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{executions} executions in {secs:.1} s ({:.0}/s), seed {seed}, {} distinct outcomes, {saved} inputs saved, {findings} findings",
        executions as f64 / secs,
        seen.len()
    );
}
