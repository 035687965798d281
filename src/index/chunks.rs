//! The writer of segment files: bytes go to the file in whole chunks of
//! 2 MiB, each at an offset that is a multiple of 2 MiB.
//!
//! A file system that keeps a file's cached pages in large folios (ext4
//! on Linux 6.x) sizes them by the writes that made them: a 2 MiB write
//! at a 2 MiB boundary leaves one 2 MiB folio, which a search then maps
//! with one page-table entry instead of 512 (at a million articles, a
//! four-character search maps most of the texts, and faulting them in
//! 4 KiB at a time was the larger part of its system time). Writes of
//! 1 MiB, or of 2 MiB at any other offset, leave none.

use std::io::{self, Seek, SeekFrom, Write};

/// The size and alignment of a write: one huge page on x86-64 and arm64.
pub const CHUNK: usize = 2 << 20;

/// A buffered writer whose writes to `W` are whole aligned chunks, but
/// for the last one before a seek or a flush.
///
/// Like [`std::io::BufWriter`], bytes still buffered when it is dropped
/// are written then (errors lost): call [`Write::flush`] to know.
pub struct ChunkWriter<W: Write + Seek> {
    inner: W,
    buf: Vec<u8>,
    /// The offset in `inner` of `buf[0]`.
    at: u64,
}

impl<W: Write + Seek> ChunkWriter<W> {
    /// A writer that starts at `inner`'s current offset.
    pub fn new(mut inner: W) -> io::Result<ChunkWriter<W>> {
        let at = inner.stream_position()?;
        Ok(ChunkWriter {
            inner,
            buf: Vec::with_capacity(CHUNK),
            at,
        })
    }

    /// Bytes that end the current chunk: from `at` to the next boundary.
    fn room(&self) -> usize {
        let end = self.at + self.buf.len() as u64;
        CHUNK - (end % CHUNK as u64) as usize
    }

    fn write_buf(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            self.inner.write_all(&self.buf)?;
            self.at += self.buf.len() as u64;
            self.buf.clear();
        }
        Ok(())
    }
}

impl<W: Write + Seek> Write for ChunkWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let room = self.room();
        if self.buf.is_empty() && room == CHUNK && data.len() >= CHUNK {
            // At a boundary with whole chunks in hand: straight through.
            let whole = data.len() / CHUNK * CHUNK;
            self.inner.write_all(&data[..whole])?;
            self.at += whole as u64;
            return Ok(whole);
        }
        let n = data.len().min(room);
        self.buf.extend_from_slice(&data[..n]);
        if n == room {
            self.write_buf()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.write_buf()?;
        self.inner.flush()
    }
}

impl<W: Write + Seek> Seek for ChunkWriter<W> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.write_buf()?;
        self.at = self.inner.seek(to)?;
        Ok(self.at)
    }
}

impl<W: Write + Seek> Drop for ChunkWriter<W> {
    fn drop(&mut self) {
        let _ = self.write_buf();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// A file in memory that records where each write to it began and
    /// how long it was.
    #[derive(Default)]
    struct Recorded {
        file: Cursor<Vec<u8>>,
        writes: Vec<(u64, usize)>,
    }

    impl Write for Recorded {
        fn write(&mut self, data: &[u8]) -> io::Result<usize> {
            let at = self.file.position();
            let n = self.file.write(data)?;
            self.writes.push((at, n));
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Seek for Recorded {
        fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
            self.file.seek(to)
        }
    }

    /// Pieces of every size that matters: small, across a boundary,
    /// exactly a chunk, several chunks at once.
    fn pieces() -> Vec<Vec<u8>> {
        let sizes = [10, CHUNK - 10, 7, CHUNK, 3 * CHUNK + 5, 1, CHUNK - 6, 100];
        sizes
            .iter()
            .enumerate()
            .map(|(n, &len)| (0..len).map(|i| (i * 31 + n) as u8).collect())
            .collect()
    }

    #[test]
    fn writes_what_it_is_given_with_a_header_written_last() {
        let mut expected = Cursor::new(Vec::new());
        let mut chunked = ChunkWriter::new(Recorded::default()).unwrap_or_else(|e| panic!("{e}"));
        for w in [&mut expected as &mut dyn WriteSeek, &mut chunked] {
            w.write_all(&[0; 64]).unwrap_or_else(|e| panic!("{e}"));
            for piece in pieces() {
                w.write_all(&piece).unwrap_or_else(|e| panic!("{e}"));
            }
            w.seek(SeekFrom::Start(0)).unwrap_or_else(|e| panic!("{e}"));
            w.write_all(&[9; 64]).unwrap_or_else(|e| panic!("{e}"));
            w.flush().unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(chunked.inner.file.get_ref(), expected.get_ref());
    }

    #[test]
    fn every_write_but_a_last_one_ends_at_a_boundary() {
        // A writer started a little way into its file.
        let mut file = Recorded::default();
        file.seek(SeekFrom::Start(100))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut chunked = ChunkWriter::new(file).unwrap_or_else(|e| panic!("{e}"));
        // First more than a chunk, at no boundary.
        let pieces: Vec<Vec<u8>> = std::iter::once(vec![1; 2 * CHUNK + 1])
            .chain(pieces())
            .collect();
        for piece in &pieces {
            chunked.write_all(piece).unwrap_or_else(|e| panic!("{e}"));
        }
        chunked.flush().unwrap_or_else(|e| panic!("{e}"));
        let writes = &chunked.inner.writes;
        let total: usize = pieces.iter().map(Vec::len).sum();
        assert_eq!(writes.iter().map(|w| w.1).sum::<usize>(), total);
        let mut at = 100;
        for (n, &(start, len)) in writes.iter().enumerate() {
            assert_eq!(start, at, "write {n} is not where the last ended");
            at += len as u64;
            // Nothing is held back longer than a chunk.
            assert!(
                n + 1 == writes.len() || at % CHUNK as u64 == 0,
                "write {n} ends at {at}"
            );
        }
        assert!(writes.len() > 4);
    }

    #[test]
    fn what_is_left_is_written_when_dropped() {
        let mut file = Cursor::new(Vec::new());
        {
            let mut chunked = ChunkWriter::new(&mut file).unwrap_or_else(|e| panic!("{e}"));
            chunked
                .write_all(b"kanbao")
                .unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(file.get_ref(), b"kanbao");
    }

    trait WriteSeek: Write + Seek {}
    impl<T: Write + Seek> WriteSeek for T {}
}
