//! Turns the bytes of a text export into a string: UTF-8 (± BOM), UTF-16 with BOM, or
//! Windows-1252 when the bytes are not valid UTF-8.

use std::borrow::Cow;
use std::path::Path;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

use crate::error::{InputError, Problem};

/// The text of a file and the encoding it was read with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// Borrowed from the bytes when they are UTF-8 already (the common case, no copy).
    pub text: Cow<'a, str>,
    pub encoding: &'static str,
}

/// Decodes `bytes`, refusing binary files and malformed UTF-16 with the line it breaks on.
pub fn decode<'a>(path: &Path, bytes: &'a [u8]) -> Result<Decoded<'a>, InputError> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom..];
        let (text, had_errors) = encoding.decode_without_bom_handling(body);
        if had_errors {
            let line = text
                .split('\n')
                .position(|l| l.contains('\u{FFFD}'))
                .map_or(1, |i| i + 1) as u64;
            return Err(InputError::Problems {
                file: path.to_path_buf(),
                problems: vec![Problem::at(
                    line,
                    None,
                    format!(
                        "the file cannot be decoded as {} (its byte-order mark says so)",
                        encoding.name()
                    ),
                )],
            });
        }
        return checked(path, Cow::Owned(text.into_owned()), encoding);
    }
    if bytes.contains(&0) {
        return Err(binary(path, bytes));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => checked(path, Cow::Borrowed(text), UTF_8),
        Err(_) => {
            // Every byte has a meaning in Windows-1252, so this cannot fail; Danish Excel
            // saves "CSV (semikolonsepareret)" in this code page.
            let (text, _, _) = WINDOWS_1252.decode(bytes);
            checked(path, Cow::Owned(text.into_owned()), WINDOWS_1252)
        }
    }
}

/// Decodes `bytes` into an owned string, without a copy when they are UTF-8 already.
pub fn decode_owned(path: &Path, bytes: Vec<u8>) -> Result<(String, &'static str), InputError> {
    let (owned, encoding) = {
        let d = decode(path, &bytes)?;
        let owned = match d.text {
            Cow::Owned(text) => Some(text),
            Cow::Borrowed(_) => None,
        };
        (owned, d.encoding)
    };
    let text = match owned {
        Some(text) => text,
        // `decode` borrows only bytes that are UTF-8 as they are.
        None => String::from_utf8(bytes).map_err(|_| InputError::Problems {
            file: path.to_path_buf(),
            problems: vec![Problem::at(1, None, "the file is not valid UTF-8")],
        })?,
    };
    Ok((text, encoding))
}

fn checked<'a>(
    path: &Path,
    text: Cow<'a, str>,
    encoding: &'static Encoding,
) -> Result<Decoded<'a>, InputError> {
    if text.contains('\0') {
        return Err(binary(path, text.as_bytes()));
    }
    let encoding = match encoding {
        e if e == UTF_16LE => "UTF-16LE",
        e if e == UTF_16BE => "UTF-16BE",
        e if e == WINDOWS_1252 => "windows-1252",
        _ => "UTF-8",
    };
    Ok(Decoded { text, encoding })
}

fn binary(path: &Path, bytes: &[u8]) -> InputError {
    let first_nul = bytes.iter().position(|&b| b == 0).unwrap_or(0);
    let line = 1 + bytes[..first_nul].iter().filter(|&&b| b == b'\n').count() as u64;
    InputError::Problems {
        file: path.to_path_buf(),
        problems: vec![Problem::at(
            line,
            None,
            "the file looks binary (it contains NUL bytes), not like a CSV or text export; \
             XLSX files are read when their name ends in .xlsx",
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(bytes: &[u8]) -> Result<Decoded<'_>, InputError> {
        decode(Path::new("s.csv"), bytes)
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(run("Pædagog".as_bytes()).unwrap().text, "Pædagog");
        let d = run("\u{feff}Pædagog".as_bytes()).unwrap();
        assert_eq!((d.text.as_ref(), d.encoding), ("Pædagog", "UTF-8"));
    }

    #[test]
    fn utf16_with_bom_in_both_byte_orders() {
        let text = "rolle\tLærer\n";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(|u| u.to_be_bytes()))
            .collect();
        assert_eq!(
            run(&le).unwrap(),
            Decoded {
                text: text.into(),
                encoding: "UTF-16LE"
            }
        );
        assert_eq!(run(&be).unwrap().encoding, "UTF-16BE");
    }

    #[test]
    fn windows_1252_when_not_utf8_so_danish_letters_survive() {
        // "Sorø;Æble;Åben" in Windows-1252.
        let d = run(b"Sor\xf8;\xc6ble;\xc5ben").unwrap();
        assert_eq!(
            (d.text.as_ref(), d.encoding),
            ("Sorø;Æble;Åben", "windows-1252")
        );
    }

    #[test]
    fn binary_and_broken_utf16_are_refused_with_a_line() {
        let err = run(b"a,b\n\x00\x01\x02").unwrap_err().to_string();
        assert!(err.starts_with("s.csv:2: the file looks binary"), "{err}");
        // A UTF-16LE BOM followed by an odd number of bytes.
        let err = run(&[0xFF, 0xFE, b'a', 0, b'\n', 0, b'b'])
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("s.csv:2: the file cannot be decoded as UTF-16LE"),
            "{err}"
        );
    }
}
