//! Invoice rendering speed.
//!
//! - `pdf/20_lines` and `pdf/200_lines`: time per PDF on one thread (the budget is
//!   2 ms median for the 20-line, one-page invoice).
//! - `pdf_parallel/20_lines`: one shared `Renderer` used by one thread per core;
//!   criterion's throughput line reads as PDFs per second.
//! - `blocks/20_lines`: the tera part alone, to see what the PDF work adds.
//!
//! Run with `cargo bench -p invoicer-documents`; `BENCHMARKS.md` records results.

use std::hint::black_box;
use std::thread;
use std::time::{Duration, Instant};

use criterion::{criterion_main, Criterion, Throughput};
use invoicer_documents::{default_bundles, PrintedInvoice, Renderer, TemplateBundle};

fn standard_de() -> TemplateBundle {
    default_bundles()
        .into_iter()
        .find(|(name, _)| name == "standard-de")
        .map(|(_, bundle)| bundle)
        .expect("the standard-de bundle ships with the crate")
}

/// Counts `/Type/Page` dictionaries (not `/Type/Pages`) in an uncompressed object table.
fn page_count(pdf: &[u8]) -> usize {
    let needle = b"/Type/Page";
    pdf.windows(needle.len() + 1)
        .filter(|w| w.starts_with(needle) && w[needle.len()] != b's')
        .count()
}

/// The invoice measured: `lines` lines. Twenty lines means a typical one-page invoice
/// (short, one-line descriptions); two hundred lines means a long one over many pages
/// with some wrapped descriptions.
fn invoice(lines: usize) -> PrintedInvoice {
    let mut view = PrintedInvoice::sample_with_lines(lines);
    if lines <= 20 {
        for (i, line) in view.lines.iter_mut().enumerate() {
            line.description = format!("Consulting, work package {} (hours)", i + 1);
        }
    }
    view
}

fn single_thread(c: &mut Criterion) {
    let started = Instant::now();
    let renderer = Renderer::new().expect("fonts load");
    eprintln!("Renderer::new: {:?}", started.elapsed());
    let bundle = standard_de();
    let started = Instant::now();
    renderer.render_pdf(&bundle, &invoice(20)).expect("renders");
    eprintln!(
        "first PDF (compiles templates, builds font subsets): {:?}",
        started.elapsed()
    );
    let mut group = c.benchmark_group("pdf");
    for lines in [20, 200] {
        let view = invoice(lines);
        // Warm the bundle's compiled templates and the font subset cache, as a running
        // application would have.
        let pdf = renderer.render_pdf(&bundle, &view).expect("renders");
        let pages = page_count(&pdf);
        eprintln!("{lines} lines: {} bytes, {pages} page(s)", pdf.len());
        if lines == 20 {
            assert_eq!(pages, 1, "the 20-line benchmark invoice must fit one page");
        }
        group.bench_function(format!("{lines}_lines"), |b| {
            b.iter(|| {
                renderer
                    .render_pdf(&bundle, black_box(&view))
                    .expect("renders")
            })
        });
    }
    group.finish();

    let view = invoice(20);
    c.bench_function("blocks/20_lines", |b| {
        b.iter(|| {
            renderer
                .render_blocks(&bundle, black_box(&view))
                .expect("renders")
        })
    });
}

fn all_cores(c: &mut Criterion) {
    let renderer = Renderer::new().expect("fonts load");
    let bundle = standard_de();
    let view = invoice(20);
    renderer.render_pdf(&bundle, &view).expect("renders");
    let threads = thread::available_parallelism().map_or(1, |n| n.get());
    eprintln!("pdf_parallel: {threads} threads sharing one Renderer");

    let mut group = c.benchmark_group("pdf_parallel");
    group.throughput(Throughput::Elements(1));
    group.bench_function("20_lines", |b| {
        b.iter_custom(|iterations| {
            let per_thread = iterations.div_ceil(threads as u64);
            let start = Instant::now();
            thread::scope(|scope| {
                for _ in 0..threads {
                    scope.spawn(|| {
                        for _ in 0..per_thread {
                            black_box(renderer.render_pdf(&bundle, &view).expect("renders"));
                        }
                    });
                }
            });
            // Report the time per PDF as if exactly `iterations` had been rendered.
            let elapsed = start.elapsed();
            let rendered = per_thread * threads as u64;
            Duration::from_secs_f64(elapsed.as_secs_f64() * iterations as f64 / rendered as f64)
        })
    });
    group.finish();
}

/// `criterion_group!` expands to an undocumented `pub fn`; the lint cannot see through it.
#[allow(missing_docs)]
mod group {
    use super::{all_cores, single_thread};
    criterion::criterion_group!(benches, single_thread, all_cores);
}

criterion_main!(group::benches);
