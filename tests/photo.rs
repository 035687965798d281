//! A photo's bytes checked before they are decoded, decoded, and fitted
//! into terminal cells (`kanbao::photo`): a decompression bomb refused from
//! its header, a damaged picture and an HTML page told apart, a large
//! picture kept small.

mod common;

use common::png::{bomb, plain};
use kanbao::photo::{PhotoError, decode, dimensions, fit};

#[test]
fn a_bomb_is_refused_from_its_header() {
    let huge = bomb(100_000, 100_000);
    assert!(huge.len() < 200);
    assert_eq!(
        dimensions(&huge),
        Err(PhotoError::TooLarge {
            width: 100_000,
            height: 100_000
        })
    );
    assert!(matches!(decode(&huge), Err(PhotoError::TooLarge { .. })));
    // Within the side limit but over the pixel cap: refused too.
    assert!(matches!(
        dimensions(&bomb(10_000, 10_000)),
        Err(PhotoError::TooLarge { .. })
    ));
}

#[test]
fn a_picture_decodes_and_a_damaged_one_says_so() {
    let whole = plain(64, 32);
    assert_eq!(dimensions(&whole), Ok((64, 32)));
    let image = decode(&whole).map_err(|e| e.to_string());
    assert_eq!(image.map(|i| (i.width(), i.height())), Ok((64, 32)));
    let cut = &whole[..whole.len() / 2];
    assert!(
        matches!(decode(cut), Err(PhotoError::Corrupt(_))),
        "{:?}",
        decode(cut).err()
    );
    // A header whose data is far too short for it.
    assert!(matches!(decode(&bomb(64, 64)), Err(PhotoError::Corrupt(_))));
}

#[test]
fn html_is_not_an_image() {
    assert_eq!(
        dimensions(b"<!DOCTYPE html><html><body>404</body></html>"),
        Err(PhotoError::NotAnImage)
    );
    assert_eq!(dimensions(b""), Err(PhotoError::NotAnImage));
}

#[test]
fn a_large_picture_is_kept_small() {
    let image = decode(&plain(3_200, 800)).map_err(|e| e.to_string());
    assert_eq!(image.map(|i| (i.width(), i.height())), Ok((1_600, 400)));
}

#[test]
fn fit_keeps_the_aspect_and_the_box() {
    // 320 × 240 with 10 × 20 cells: 32 × 12 cells at its own size.
    assert_eq!(fit((320, 240), (10, 20), 80, 20), (32, 12));
    // Half a 21-row pane: 10 rows, the width following.
    assert_eq!(fit((320, 240), (10, 20), 80, 10), (27, 10));
    // A narrow pane: the width decides.
    assert_eq!(fit((3_200, 1_200), (10, 20), 39, 10), (39, 7));
    // Never bigger than the picture, never less than a cell.
    assert_eq!(fit((10, 10), (10, 20), 80, 10), (1, 1));
    assert_eq!(fit((10_000, 1), (10, 20), 40, 10), (40, 1));
    assert_eq!(fit((0, 0), (0, 0), 0, 0), (1, 1));
}
