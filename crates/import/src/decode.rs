//! Decoding the file as it streams: a `Read` of the file's bytes in any
//! encoding becomes a `Read` of UTF-8 for the CSV parser, a buffer at a time,
//! so a file is never held twice in memory. Bytes invalid in the encoding are
//! an error naming their offset and line, never replaced silently.

use std::io::{self, Read};

use encoding_rs::{Decoder, DecoderResult, Encoding};

/// How many bytes of the file are decoded at a time.
const CHUNK: usize = 16 * 1024;

/// Bytes the encoding does not allow, as carried through `io::Error`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EncodingFault {
    /// The offset of the first bad byte in the file.
    pub offset: u64,
    /// The line of the decoded text it is on.
    pub line: u64,
    /// The encoding's name.
    pub encoding: &'static str,
}

impl std::fmt::Display for EncodingFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "byte {} is not valid {}", self.offset, self.encoding)
    }
}

impl std::error::Error for EncodingFault {}

/// A `Read` of UTF-8 over a `Read` of bytes in `encoding`.
pub(crate) struct DecodingReader<R> {
    inner: R,
    decoder: Decoder,
    input: Box<[u8]>,
    in_start: usize,
    in_end: usize,
    output: String,
    out_pos: usize,
    /// Bytes of the file handed to the decoder so far.
    fed: u64,
    /// Line feeds and quotes in the text decoded so far.
    newlines: u64,
    quotes: u64,
    eof: bool,
    finished: bool,
    fault: Option<EncodingFault>,
}

impl<R: Read> DecodingReader<R> {
    /// Decodes `inner` as `encoding`. A byte-order mark at the start is
    /// removed and, being certain, wins over `encoding`, so a BOM never
    /// reaches the first header.
    pub(crate) fn new(inner: R, encoding: &'static Encoding) -> DecodingReader<R> {
        DecodingReader {
            inner,
            decoder: encoding.new_decoder(),
            input: vec![0; CHUNK].into_boxed_slice(),
            in_start: 0,
            in_end: 0,
            output: String::new(),
            out_pos: 0,
            fed: 0,
            newlines: 0,
            quotes: 0,
            eof: false,
            finished: false,
            fault: None,
        }
    }

    /// Whether the whole file has been decoded and it holds an odd number
    /// of `"`: a quoted field was opened and never closed (doubled quotes
    /// inside a field come in pairs and do not change the count's parity).
    pub(crate) fn ended_inside_quotes(&self) -> bool {
        self.finished && self.quotes % 2 == 1
    }

    /// Decodes the next chunk into `output`; false when nothing is left.
    fn refill(&mut self) -> io::Result<bool> {
        self.output.clear();
        self.out_pos = 0;
        while self.output.is_empty() && !self.finished && self.fault.is_none() {
            if self.in_start == self.in_end && !self.eof {
                let n = loop {
                    match self.inner.read(&mut self.input) {
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        other => break other?,
                    }
                };
                self.in_start = 0;
                self.in_end = n;
                self.eof = n == 0;
            }
            let src = &self.input[self.in_start..self.in_end];
            let room = self
                .decoder
                .max_utf8_buffer_length_without_replacement(src.len())
                .unwrap_or(4 * CHUNK);
            self.output.reserve(room);
            let (result, read) =
                self.decoder
                    .decode_to_string_without_replacement(src, &mut self.output, self.eof);
            self.in_start += read;
            let consumed = self.fed + read as u64;
            self.fed = consumed;
            match result {
                DecoderResult::InputEmpty => self.finished = self.eof,
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(bad, after) => {
                    let lines_before = self.output.bytes().filter(|b| *b == b'\n').count();
                    self.fault = Some(EncodingFault {
                        offset: consumed.saturating_sub(u64::from(bad) + u64::from(after)),
                        line: self.newlines + lines_before as u64 + 1,
                        encoding: self.decoder.encoding().name(),
                    });
                }
            }
        }
        for b in self.output.bytes() {
            match b {
                b'\n' => self.newlines += 1,
                b'"' => self.quotes += 1,
                _ => {}
            }
        }
        Ok(!self.output.is_empty())
    }
}

impl<R: Read> Read for DecodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.out_pos == self.output.len() && !self.refill()? {
            return match &self.fault {
                Some(fault) => Err(io::Error::new(io::ErrorKind::InvalidData, fault.clone())),
                None => Ok(0),
            };
        }
        let pending = &self.output.as_bytes()[self.out_pos..];
        let n = pending.len().min(buf.len());
        buf[..n].copy_from_slice(&pending[..n]);
        self.out_pos += n;
        Ok(n)
    }
}
