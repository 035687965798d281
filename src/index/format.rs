//! Byte encoding for index files: little-endian integers, LEB128 varints,
//! length-prefixed strings, and a reader that checks every bound, so that a
//! damaged file is an error ([`Corrupt`]), never a panic or a wrong value.

/// A damaged or foreign index file, with what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corrupt(pub String);

impl std::fmt::Display for Corrupt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub fn corrupt<T>(what: &str) -> Result<T, Corrupt> {
    Err(Corrupt(what.to_owned()))
}

/// Appends values to a byte buffer.
#[derive(Debug, Default)]
pub struct Out {
    pub buf: Vec<u8>,
}

impl Out {
    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    pub fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    pub fn varint(&mut self, v: u64) {
        put_varint(&mut self.buf, v);
    }

    pub fn str(&mut self, s: &str) {
        self.varint(s.len() as u64);
        self.buf.extend_from_slice(s.as_bytes());
    }

    /// `None` as 0, `Some(s)` as its length plus one, then the bytes.
    pub fn opt_str(&mut self, s: Option<&str>) {
        match s {
            None => self.varint(0),
            Some(s) => {
                self.varint(s.len() as u64 + 1);
                self.buf.extend_from_slice(s.as_bytes());
            }
        }
    }
}

/// Appends `v` as a LEB128 varint.
pub fn put_varint(buf: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        buf.push((v as u8) | 0x80);
        v >>= 7;
    }
    buf.push(v as u8);
}

/// Reads values from a byte slice, checking bounds.
#[derive(Debug)]
pub struct In<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> In<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        In { data, pos: 0 }
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    /// Bytes read so far.
    pub fn position(&self) -> usize {
        self.pos
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], Corrupt> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.data.len());
        match end {
            Some(end) => {
                let s = &self.data[self.pos..end];
                self.pos = end;
                Ok(s)
            }
            None => corrupt("a record runs past the end of its section"),
        }
    }

    pub fn u32(&mut self) -> Result<u32, Corrupt> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub fn u64(&mut self) -> Result<u64, Corrupt> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    pub fn varint(&mut self) -> Result<u64, Corrupt> {
        let (v, used) = get_varint(&self.data[self.pos.min(self.data.len())..])?;
        self.pos += used;
        Ok(v)
    }

    /// A varint that must fit a `usize` no larger than `max`.
    pub fn len(&mut self, max: usize) -> Result<usize, Corrupt> {
        let v = self.varint()?;
        match usize::try_from(v) {
            Ok(n) if n <= max => Ok(n),
            _ => corrupt("a length is out of range"),
        }
    }

    pub fn str(&mut self) -> Result<&'a str, Corrupt> {
        let n = self.len(self.data.len())?;
        let bytes = self.take(n)?;
        std::str::from_utf8(bytes).or_else(|_| corrupt("a string is not UTF-8"))
    }

    pub fn string(&mut self) -> Result<String, Corrupt> {
        self.str().map(str::to_owned)
    }

    pub fn opt_string(&mut self) -> Result<Option<String>, Corrupt> {
        let n = self.len(self.data.len().saturating_add(1))?;
        if n == 0 {
            return Ok(None);
        }
        let bytes = self.take(n - 1)?;
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(Some(s.to_owned())),
            Err(_) => corrupt("a string is not UTF-8"),
        }
    }
}

/// Reads a LEB128 varint from the start of `data`: the value and the
/// bytes it took.
pub fn get_varint(data: &[u8]) -> Result<(u64, usize), Corrupt> {
    let mut v: u64 = 0;
    for (i, &b) in data.iter().enumerate().take(10) {
        v |= u64::from(b & 0x7f) << (7 * i);
        if b < 0x80 {
            return Ok((v, i + 1));
        }
    }
    corrupt("a number is cut off")
}

/// A fast checksum of `data` (not cryptographic): catches truncation and
/// damaged bytes in the parts of an index read at start-up.
pub fn checksum(data: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h: u64 = data.len() as u64 ^ K;
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let mut a = [0u8; 8];
        a.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(a)).wrapping_mul(K).rotate_left(29);
    }
    for &b in chunks.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(K).rotate_left(29);
    }
    h ^ (h >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut out = Out::default();
        out.u32(7);
        out.varint(300);
        out.str("科技");
        out.opt_str(None);
        out.opt_str(Some(""));
        out.u64(u64::MAX);
        let mut r = In::new(&out.buf);
        assert_eq!(r.u32(), Ok(7));
        assert_eq!(r.varint(), Ok(300));
        assert_eq!(r.str(), Ok("科技"));
        assert_eq!(r.opt_string(), Ok(None));
        assert_eq!(r.opt_string(), Ok(Some(String::new())));
        assert_eq!(r.u64(), Ok(u64::MAX));
        assert!(r.is_empty());
    }

    #[test]
    fn damaged_input_is_an_error_not_a_panic() {
        let mut out = Out::default();
        out.str("科技创新");
        for cut in 0..out.buf.len() {
            assert!(In::new(&out.buf[..cut]).str().is_err());
        }
        assert!(In::new(&[0xff; 12]).varint().is_err());
        assert!(
            In::new(&[0x05, 0xff, 0xfe, 0xfd, 0xfc, 0xfb])
                .str()
                .is_err()
        );
        assert_ne!(checksum(b"abcdefghij"), checksum(b"abcdefghik"));
    }
}
