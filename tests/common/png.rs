//! Pictures for the photo tests: a plain PNG the `image` crate encodes,
//! and a decompression bomb, which no encoder would write.

#![allow(dead_code, reason = "each test crate uses a subset")]

use std::io::Cursor;

use image::{DynamicImage, ImageFormat};

/// A black PNG of `width` × `height` pixels.
pub fn plain(width: u32, height: u32) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    DynamicImage::new_rgb8(width, height)
        .write_to(&mut out, ImageFormat::Png)
        .unwrap_or_else(|e| panic!("a PNG encoded: {e}"));
    out.into_inner()
}

/// A PNG whose header claims `width` × `height` pixels (its checksums
/// right), followed by a little image data (a zlib stream of stored zeros)
/// and its end: a decompression bomb before it is inflated.
pub fn bomb(width: u32, height: u32) -> Vec<u8> {
    let crc = |chunk: &[u8]| super::server::gzip::crc32(chunk.iter().copied());
    let mut header = width.to_be_bytes().to_vec();
    header.extend(height.to_be_bytes());
    header.extend([8, 2, 0, 0, 0]);
    let zeros = [0u8; 64];
    let (a, b) = zeros.iter().fold((1u32, 0u32), |(a, b), &x| {
        let a = (a + u32::from(x)) % 65_521;
        (a, (b + a) % 65_521)
    });
    let mut data = vec![0x78, 0x01, 1, 64, 0, !64, 0xff];
    data.extend(zeros);
    data.extend(((b << 16) | a).to_be_bytes());
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, body) in [
        (b"IHDR", &header[..]),
        (b"IDAT", &data[..]),
        (b"IEND", &[][..]),
    ] {
        let mut chunk = kind.to_vec();
        chunk.extend(body);
        bytes.extend(u32::try_from(body.len()).unwrap_or(0).to_be_bytes());
        bytes.extend(&chunk);
        bytes.extend(crc(&chunk).to_be_bytes());
    }
    bytes
}
