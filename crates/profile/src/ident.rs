//! Identifiers: the ETSI EN 319 412-1 semantics-identifier syntax of `serialNumber` (§5.1.3) and
//! `organizationIdentifier` (§5.1.4), and national personal-number check digits.

use serde::Deserialize;

/// A parsed `XXXYY-value` identifier (EN 319 412-1 §5.1.3 / §5.1.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SemanticsId<'a> {
    /// The three-letter type reference: PAS, IDC, PNO, TAX, TIN; VAT, NTR, PSD, LEI.
    pub type_ref: &'a str,
    /// The two-character country code (ISO 3166-1 alpha-2, or `EL`/`XI` for VAT, `XG` for LEI).
    pub country: &'a str,
    pub value: &'a str,
}

/// How an identifier value is shaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentifierSyntax<'a> {
    /// `XXXYY-value`.
    Etsi(SemanticsId<'a>),
    /// `XX:value`, a national scheme (EN 319 412-1 §5.1.3 c) / §5.1.4 c)).
    National { scheme: &'a str, value: &'a str },
}

/// Parses the EN 319 412-1 syntax; `None` if the value follows neither form.
pub fn parse_semantics_id(s: &str) -> Option<IdentifierSyntax<'_>> {
    let b = s.as_bytes();
    if b.len() >= 4 && b.get(2) == Some(&b':') && b.iter().take(2).all(|c| c.is_ascii_alphanumeric()) {
        let scheme = s.get(..2)?;
        return Some(IdentifierSyntax::National { scheme, value: s.get(3..)? });
    }
    if b.len() < 7 || b.get(5) != Some(&b'-') {
        return None;
    }
    let type_ref = s.get(..3)?;
    let country = s.get(3..5)?;
    let value = s.get(6..)?;
    if !type_ref.bytes().all(|c| c.is_ascii_uppercase()) || !country.bytes().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    Some(IdentifierSyntax::Etsi(SemanticsId { type_ref, country, value }))
}

/// Natural-person type references (EN 319 412-1 §5.1.3; `TAX` is the deprecated form of `TIN`).
pub const NATURAL_TYPES: &[&str] = &["PAS", "IDC", "PNO", "TAX", "TIN"];
/// Legal-person type references (EN 319 412-1 §5.1.4).
pub const LEGAL_TYPES: &[&str] = &["VAT", "NTR", "PSD", "LEI"];

/// The disputed remainder-1 case of the JMBG/EMBG check digit (see [`check_jmbg`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RemainderOne {
    /// A weighted sum with remainder 1 (11 − 1 = 10) has no valid check digit: reject.
    Reject,
    /// Accept check digit 0 for remainder 1, as for remainder 0 (the lenient reading).
    AcceptZero,
}

/// The national personal-number schemes the linter can check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NationalScheme {
    /// JMBG / EMBG / EMŠO: 13 digits DDMMYYYRRBBBK, mod-11 check digit.
    Jmbg,
    /// Croatian OIB: 11 digits, ISO 7064 MOD 11,10 check digit.
    Oib,
    /// Bulgarian EGN: 10 digits, weighted mod-11 check digit.
    Egn,
    /// Romanian CNP: 13 digits, weighted mod-11 check digit.
    Cnp,
}

impl NationalScheme {
    pub fn as_str(self) -> &'static str {
        match self {
            NationalScheme::Jmbg => "jmbg",
            NationalScheme::Oib => "oib",
            NationalScheme::Egn => "egn",
            NationalScheme::Cnp => "cnp",
        }
    }
}

/// Why a national identifier is invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdError {
    Length {
        expected: usize,
        found: usize,
    },
    NotDigits,
    Date,
    CheckDigit {
        expected: u32,
        found: u32,
    },
    /// JMBG remainder 1: no valid check digit under the strict reading.
    RemainderOne,
}

impl std::fmt::Display for IdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IdError::Length { expected, found } => write!(f, "has {found} characters, expected {expected}"),
            IdError::NotDigits => f.write_str("contains characters other than digits"),
            IdError::Date => f.write_str("does not encode a valid date of birth"),
            IdError::CheckDigit { expected, found } => write!(f, "check digit is {found}, expected {expected}"),
            IdError::RemainderOne => {
                f.write_str("weighted sum has remainder 1, for which no check digit exists under the strict rule")
            }
        }
    }
}

fn digits(s: &str, n: usize) -> Result<Vec<u32>, IdError> {
    if s.chars().count() != n {
        return Err(IdError::Length { expected: n, found: s.chars().count() });
    }
    s.chars().map(|c| c.to_digit(10).ok_or(IdError::NotDigits)).collect()
}

fn valid_date(year: i32, month: u32, day: u32) -> bool {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    day >= 1 && day <= days
}

/// JMBG (RS, ME, BA, and SI as EMŠO) / EMBG (MK): `DDMMYYYRRBBBK`.
///
/// `m = 11 − ((7(a1+a7) + 6(a2+a8) + 5(a3+a9) + 4(a4+a10) + 3(a5+a11) + 2(a6+a12)) mod 11)`;
/// `K = m` for m in 1..=9, `K = 0` for m = 11 (remainder 0). For m = 10 (remainder 1) sources
/// disagree — some say such numbers are never assigned, others that K = 0 — so the profile decides
/// with [`RemainderOne`]. YYY is the year without the millennium digit: ≥ 800 → 1YYY, else 2YYY.
pub fn check_jmbg(s: &str, rem1: RemainderOne) -> Result<(), IdError> {
    let d = digits(s, 13)?;
    let a = |i: usize| d.get(i).copied().unwrap_or(0);
    let day = a(0) * 10 + a(1);
    let month = a(2) * 10 + a(3);
    let yyy = (a(4) * 100 + a(5) * 10 + a(6)) as i32;
    let year = if yyy >= 800 { 1000 + yyy } else { 2000 + yyy };
    if !valid_date(year, month, day) {
        return Err(IdError::Date);
    }
    let weights = [7u32, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    let sum: u32 = d.iter().zip(weights.iter()).map(|(x, w)| x * w).sum();
    let rem = sum % 11;
    let found = a(12);
    let expected = match rem {
        0 => 0,
        1 => match rem1 {
            RemainderOne::Reject => return Err(IdError::RemainderOne),
            RemainderOne::AcceptZero => 0,
        },
        r => 11 - r,
    };
    if expected != found {
        return Err(IdError::CheckDigit { expected, found });
    }
    Ok(())
}

/// Croatian OIB: 11 digits, the last an ISO 7064 MOD 11,10 check digit (Zakon o osobnom
/// identifikacijskom broju, NN 60/08; technical rule: ISO 7064).
pub fn check_oib(s: &str) -> Result<(), IdError> {
    let d = digits(s, 11)?;
    let mut t = 10u32;
    for x in d.iter().take(10) {
        t = (t + x) % 10;
        if t == 0 {
            t = 10;
        }
        t = (t * 2) % 11;
    }
    let expected = (11 - t) % 10;
    let found = d.get(10).copied().unwrap_or(0);
    if expected != found {
        return Err(IdError::CheckDigit { expected, found });
    }
    Ok(())
}

/// Bulgarian EGN: `YYMMDDSSSC`, months +20 for 1800s and +40 for 2000s births; C = (Σ wᵢdᵢ mod 11)
/// with weights 2,4,8,5,10,9,7,3,6, and 10 → 0.
pub fn check_egn(s: &str) -> Result<(), IdError> {
    let d = digits(s, 10)?;
    let a = |i: usize| d.get(i).copied().unwrap_or(0);
    let yy = (a(0) * 10 + a(1)) as i32;
    let mut month = a(2) * 10 + a(3);
    let day = a(4) * 10 + a(5);
    let year = if month > 40 {
        month -= 40;
        2000 + yy
    } else if month > 20 {
        month -= 20;
        1800 + yy
    } else {
        1900 + yy
    };
    if !valid_date(year, month, day) {
        return Err(IdError::Date);
    }
    let weights = [2u32, 4, 8, 5, 10, 9, 7, 3, 6];
    let sum: u32 = d.iter().zip(weights.iter()).map(|(x, w)| x * w).sum();
    let expected = match sum % 11 {
        10 => 0,
        r => r,
    };
    let found = a(9);
    if expected != found {
        return Err(IdError::CheckDigit { expected, found });
    }
    Ok(())
}

/// Romanian CNP: `SYYMMDDJJNNNC`; C = (Σ wᵢdᵢ mod 11) with weights 2,7,9,1,4,6,3,5,8,2,7,9, and
/// 10 → 1. S gives the century (1/2: 1900s, 3/4: 1800s, 5/6: 2000s, 7/8/9: residents).
pub fn check_cnp(s: &str) -> Result<(), IdError> {
    let d = digits(s, 13)?;
    let a = |i: usize| d.get(i).copied().unwrap_or(0);
    let yy = (a(1) * 10 + a(2)) as i32;
    let month = a(3) * 10 + a(4);
    let day = a(5) * 10 + a(6);
    let year = match a(0) {
        1 | 2 => 1900 + yy,
        3 | 4 => 1800 + yy,
        5 | 6 => 2000 + yy,
        7..=9 => 1900 + yy, // residents: the century is not encoded; any leap-year ambiguity is tolerated below
        _ => return Err(IdError::Date),
    };
    let resident_leap_day = a(0) >= 7 && month == 2 && day == 29;
    if !valid_date(year, month, day) && !resident_leap_day {
        return Err(IdError::Date);
    }
    let weights = [2u32, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9];
    let sum: u32 = d.iter().zip(weights.iter()).map(|(x, w)| x * w).sum();
    let expected = match sum % 11 {
        10 => 1,
        r => r,
    };
    let found = a(12);
    if expected != found {
        return Err(IdError::CheckDigit { expected, found });
    }
    Ok(())
}

/// Checks `value` under `scheme`.
pub fn check(scheme: NationalScheme, value: &str, rem1: RemainderOne) -> Result<(), IdError> {
    match scheme {
        NationalScheme::Jmbg => check_jmbg(value, rem1),
        NationalScheme::Oib => check_oib(value),
        NationalScheme::Egn => check_egn(value),
        NationalScheme::Cnp => check_cnp(value),
    }
}

/// ISO 17442 LEI: 20 alphanumerics, the last two ISO 7064 MOD 97-10 check digits.
pub fn check_lei(s: &str) -> bool {
    if s.len() != 20 || !s.bytes().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()) {
        return false;
    }
    let mut rem: u64 = 0;
    for c in s.bytes() {
        let v = if c.is_ascii_digit() { u64::from(c - b'0') } else { u64::from(c - b'A') + 10 };
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    rem == 1
}

/// Computes a valid JMBG check digit for the first 12 digits (test helper; `None` for remainder 1).
pub fn jmbg_check_digit(first12: &str) -> Option<u32> {
    let d = digits(first12, 12).ok()?;
    let weights = [7u32, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    let sum: u32 = d.iter().zip(weights.iter()).map(|(x, w)| x * w).sum();
    match sum % 11 {
        0 => Some(0),
        1 => None,
        r => Some(11 - r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_semantics_ids() {
        assert_eq!(
            parse_semantics_id("PNORS-0101990710006"),
            Some(IdentifierSyntax::Etsi(SemanticsId { type_ref: "PNO", country: "RS", value: "0101990710006" }))
        );
        assert_eq!(parse_semantics_id("RS:123456"), Some(IdentifierSyntax::National { scheme: "RS", value: "123456" }));
        assert_eq!(parse_semantics_id("0101990710006"), None);
        assert_eq!(parse_semantics_id("pnoRS-1"), None);
        assert_eq!(parse_semantics_id("PNORS"), None);
        assert_eq!(parse_semantics_id("PNORS-"), None);
        assert_eq!(parse_semantics_id("ČČČRS-1"), None);
    }

    #[test]
    fn jmbg_valid_and_invalid() {
        // 0101990710006: weighted sum 0*7+1*6+0*5+1*4+9*3+9*2+0*7+7*6+1*5+0*4+0*3+0*2 = 102, 102 mod 11 = 3, K = 8
        let first = "010199071000";
        let k = jmbg_check_digit(first).unwrap();
        let good = format!("{first}{k}");
        assert_eq!(check_jmbg(&good, RemainderOne::Reject), Ok(()));
        let bad = format!("{first}{}", (k + 1) % 10);
        assert!(matches!(check_jmbg(&bad, RemainderOne::Reject), Err(IdError::CheckDigit { .. })));
        assert_eq!(check_jmbg("3102990710006", RemainderOne::Reject), Err(IdError::Date));
        assert!(matches!(check_jmbg("123", RemainderOne::Reject), Err(IdError::Length { .. })));
        assert_eq!(check_jmbg("01019907100a6", RemainderOne::Reject), Err(IdError::NotDigits));
    }

    #[test]
    fn jmbg_remainder_one_follows_the_setting() {
        // find a 12-digit prefix with remainder 1
        let mut prefix = None;
        for serial in 0..1000u32 {
            let p = format!("0101990710{:02}", serial % 100);
            let p = format!("{}{}", &p[..9], &format!("{:03}", serial)[..3]);
            if p.len() == 12 && jmbg_check_digit(&p).is_none() {
                prefix = Some(p);
                break;
            }
        }
        let p = prefix.unwrap();
        let id = format!("{p}0");
        assert_eq!(check_jmbg(&id, RemainderOne::Reject), Err(IdError::RemainderOne));
        assert_eq!(check_jmbg(&id, RemainderOne::AcceptZero), Ok(()));
        assert!(check_jmbg(&format!("{p}1"), RemainderOne::AcceptZero).is_err());
    }

    #[test]
    fn oib_egn_cnp() {
        // OIB: check digit computed by ISO 7064 MOD 11,10 over 1234567890 → 3
        assert_eq!(check_oib("12345678903"), Ok(()));
        assert!(check_oib("12345678904").is_err());
        // EGN 7523169263: documented example of the Bulgarian algorithm
        assert_eq!(check_egn("7523169263"), Ok(()));
        assert!(check_egn("7523169264").is_err());
        // CNP 1800101221144: weighted sum 1*2+8*7+0*9+0*1+1*4+0*6+1*3+2*5+2*8+1*2+1*7+4*9 = 136, mod 11 = 4
        assert_eq!(check_cnp("1800101221144"), Ok(()));
        assert!(check_cnp("1800101221145").is_err());
    }

    #[test]
    fn lei() {
        // ISO 17442 example LEI of the GLEIF: 5493001KJTIIGC8Y1R12
        assert!(check_lei("5493001KJTIIGC8Y1R12"));
        assert!(!check_lei("5493001KJTIIGC8Y1R13"));
        assert!(!check_lei("short"));
    }
}
