//! A photo's bytes → its pixels, checked before they are decoded, and the
//! size in terminal cells it is shown at.
//!
//! A picture from the network may be anything: not an image at all, cut
//! short, or a decompression bomb (a small PNG whose header claims 100,000 ×
//! 100,000 pixels). [`dimensions`] reads only the header and refuses a
//! picture of more than [`MAX_PIXELS`] before anything is decoded;
//! [`decode`] then decodes within the same limits (the decoder's own
//! allocation cap included) and scales the result down to at most
//! [`KEEP_SIDE`] pixels a side, which is more than any terminal shows.
//! [`fit`] is the one rule for how many columns and rows a picture takes,
//! used both to lay out the reader's lines and to encode the picture, so
//! the two always agree. Nothing here touches a file, the network or the
//! terminal.

use std::fmt;
use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader, Limits};

/// The most pixels a picture may have (a 6,000 × 6,000 photo): beyond it,
/// decoding alone would take hundreds of megabytes.
pub const MAX_PIXELS: u64 = 36_000_000;

/// The longest side a picture may have, in pixels.
pub const MAX_SIDE: u32 = 20_000;

/// The longest side a decoded picture is kept at: plenty for the widest
/// pane at any font size.
pub const KEEP_SIDE: u32 = 1_600;

/// Why a photo cannot be shown: one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhotoError {
    /// Not a format kanbao decodes (PNG, JPEG, GIF, WebP), or not an image.
    NotAnImage,
    /// The header claims more pixels than [`MAX_PIXELS`] or a side over
    /// [`MAX_SIDE`].
    TooLarge { width: u32, height: u32 },
    /// The image data is cut short or corrupt.
    Corrupt(String),
}

impl fmt::Display for PhotoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PhotoError::NotAnImage => f.write_str("not a PNG, JPEG, GIF or WebP picture"),
            PhotoError::TooLarge { width, height } => write!(
                f,
                "{width} × {height} pixels is too large to decode (at most {} megapixels)",
                MAX_PIXELS / 1_000_000
            ),
            PhotoError::Corrupt(reason) => write!(f, "the picture is damaged: {reason}"),
        }
    }
}

/// The formats kanbao decodes, told from the bytes (never from a name or
/// a `Content-Type`).
fn format_of(bytes: &[u8]) -> Option<ImageFormat> {
    match image::guess_format(bytes).ok()? {
        f @ (ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::Gif | ImageFormat::WebP) => {
            Some(f)
        }
        _ => None,
    }
}

/// A reader of `bytes` within `limits`.
fn reader(bytes: &[u8], limits: Limits) -> Result<ImageReader<Cursor<&[u8]>>, PhotoError> {
    let format = format_of(bytes).ok_or(PhotoError::NotAnImage)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    Ok(reader)
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    // Four bytes a pixel, and room for the decoder's own buffers.
    limits.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
    limits
}

/// The picture's width and height from its header alone, if it is a
/// picture kanbao decodes and not too large to.
pub fn dimensions(bytes: &[u8]) -> Result<(u32, u32), PhotoError> {
    // Reading the header allocates nothing to speak of: no limits, so
    // that the size claimed can be told.
    let (width, height) = reader(bytes, Limits::no_limits())?
        .into_dimensions()
        .map_err(|e| PhotoError::Corrupt(one_line(&e)))?;
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_PIXELS || width > MAX_SIDE || height > MAX_SIDE {
        return Err(PhotoError::TooLarge { width, height });
    }
    if pixels == 0 {
        return Err(PhotoError::Corrupt("it has no pixels".to_owned()));
    }
    Ok((width, height))
}

/// Decodes a picture after [`dimensions`] passed, scaled down to at most
/// [`KEEP_SIDE`] pixels a side.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, PhotoError> {
    let (width, height) = dimensions(bytes)?;
    let image = reader(bytes, limits())?.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => PhotoError::TooLarge { width, height },
        other => PhotoError::Corrupt(one_line(&other)),
    })?;
    if image.width().max(image.height()) > KEEP_SIDE {
        Ok(image.thumbnail(KEEP_SIDE, KEEP_SIDE))
    } else {
        Ok(image)
    }
}

fn one_line(error: &dyn fmt::Display) -> String {
    let text = error.to_string();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = text.chars();
    let short: String = chars.by_ref().take(120).collect();
    if chars.next().is_some() {
        format!("{short}…")
    } else {
        short
    }
}

/// Columns and rows a picture of `pixels` (width, height) takes, shown with
/// cells of `cell` pixels (width, height), in at most `columns` × `rows`
/// cells: its aspect ratio kept, never larger than it is (one picture pixel
/// to a screen pixel), and at least one cell each way.
pub fn fit(pixels: (u32, u32), cell: (u16, u16), columns: u16, rows: u16) -> (u16, u16) {
    let (w, h) = (f64::from(pixels.0.max(1)), f64::from(pixels.1.max(1)));
    let (cw, ch) = (f64::from(cell.0.max(1)), f64::from(cell.1.max(1)));
    // The picture's size in cells at one picture pixel a screen pixel.
    let (natural_w, natural_h) = (w / cw, h / ch);
    let scale = (f64::from(columns.max(1)) / natural_w)
        .min(f64::from(rows.max(1)) / natural_h)
        .min(1.0);
    let fitted = |natural: f64, most: u16| -> u16 {
        let cells = (natural * scale).round();
        (cells as u16).clamp(1, most.max(1))
    };
    (fitted(natural_w, columns), fitted(natural_h, rows))
}
