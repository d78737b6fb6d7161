//! National identifiers with their check digits, for the synthetic subjects.
//!
//! Only formats whose check-digit rule is publicly documented are computed here; states without
//! one get a plain synthetic number (see `states.rs`). Every identifier made here is fictitious.

/// The outcome of the JMBG/EMBG mod-11 computation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JmbgCheck {
    /// The control digit is unambiguous (remainder 0 gives 0, remainders 2..=10 give 11 - r).
    Digit(u8),
    /// Remainder 1 (11 - r = 10): sources disagree whether such a number is invalid or takes 0.
    Disputed,
}

/// The JMBG/EMBG control digit of the first 12 digits: weights 7,6,5,4,3,2,7,6,5,4,3,2, m = 11 - (sum
/// mod 11); m = 11 gives 0, m = 10 is the disputed case. (Uredba o jedinstvenom matičnom broju
/// građana, SFRJ 1976; the same rule is used in RS, ME, BA and, as EMBG, MK.)
pub fn jmbg_check(first12: &[u8; 12]) -> JmbgCheck {
    const W: [u32; 12] = [7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    let sum: u32 = first12.iter().zip(W).map(|(d, w)| u32::from(*d) * w).sum();
    match 11 - (sum % 11) {
        11 => JmbgCheck::Digit(0),
        10 => JmbgCheck::Disputed,
        m => JmbgCheck::Digit(m as u8),
    }
}

/// A 13-digit JMBG/EMBG: DDMMYYY (last three digits of the year), region RR, serial BBB
/// (000-499 male, 500-999 female), control K. The serial is advanced from `serial` until the
/// control digit is unambiguous, so generated numbers are valid under strict and lenient rules.
pub fn jmbg(day: u8, month: u8, year: u16, region: u8, serial: u16) -> String {
    let mut bbb = serial % 1000;
    loop {
        let s = format!("{day:02}{month:02}{:03}{region:02}{bbb:03}", year % 1000);
        let digits = digits12(&s);
        if let JmbgCheck::Digit(k) = jmbg_check(&digits) {
            return format!("{s}{k}");
        }
        bbb = (bbb + 1) % 1000;
    }
}

/// A JMBG with the given prefix whose remainder is the disputed 1, written with control digit 0
/// (valid only under the lenient reading).
pub fn jmbg_disputed(day: u8, month: u8, year: u16, region: u8, serial: u16) -> String {
    let mut bbb = serial % 1000;
    loop {
        let s = format!("{day:02}{month:02}{:03}{region:02}{bbb:03}", year % 1000);
        if jmbg_check(&digits12(&s)) == JmbgCheck::Disputed {
            return format!("{s}0");
        }
        bbb = (bbb + 1) % 1000;
    }
}

/// Replace the last digit with a different, wrong one (for the check-digit variant).
pub fn break_last_digit(id: &str) -> String {
    let mut chars: Vec<char> = id.chars().collect();
    if let Some(last) = chars.last_mut() {
        let d = last.to_digit(10).unwrap_or(0);
        *last = char::from_digit((d + 1) % 10, 10).unwrap_or('0');
    }
    chars.into_iter().collect()
}

fn digits12(s: &str) -> [u8; 12] {
    let mut out = [0u8; 12];
    for (o, c) in out.iter_mut().zip(s.chars()) {
        *o = c.to_digit(10).unwrap_or(0) as u8;
    }
    out
}

/// ISO 7064 MOD 11,10 control digit (pure system, used by the Croatian OIB and the Serbian PIB).
pub fn iso7064_mod11_10(digits: &str) -> u8 {
    let mut p: u32 = 10;
    for c in digits.chars() {
        let d = c.to_digit(10).unwrap_or(0);
        let mut s = (d + p) % 10;
        if s == 0 {
            s = 10;
        }
        p = (2 * s) % 11;
    }
    ((11 - p) % 10) as u8
}

/// Append the ISO 7064 MOD 11,10 control digit.
pub fn with_mod11_10(body: &str) -> String {
    format!("{body}{}", iso7064_mod11_10(body))
}

/// Bulgarian EGN: 10 digits, weights 2,4,8,5,10,9,7,3,6, control = sum mod 11 (10 becomes 0).
/// Months are +40 for births from 2000.
pub fn egn(body9: &str) -> String {
    const W: [u32; 9] = [2, 4, 8, 5, 10, 9, 7, 3, 6];
    let sum: u32 = body9.chars().zip(W).map(|(c, w)| c.to_digit(10).unwrap_or(0) * w).sum();
    let k = sum % 11 % 10;
    format!("{body9}{k}")
}

/// Romanian CNP: 13 digits, weights 2,7,9,1,4,6,3,5,8,2,7,9, control = sum mod 11 (10 becomes 1).
pub fn cnp(body12: &str) -> String {
    const W: [u32; 12] = [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9];
    let sum: u32 = body12.chars().zip(W).map(|(c, w)| c.to_digit(10).unwrap_or(0) * w).sum();
    let k = match sum % 11 {
        10 => 1,
        r => r,
    };
    format!("{body12}{k}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jmbg_valid_strict(s: &str) -> bool {
        let d: Vec<u8> = s.chars().map(|c| c.to_digit(10).unwrap() as u8).collect();
        let first: [u8; 12] = d[..12].try_into().unwrap();
        jmbg_check(&first) == JmbgCheck::Digit(d[12])
    }

    #[test]
    fn jmbg_hand_computed() {
        // 0,1,0,1,9,9,0,7,1,0,0,0: 7*(0+0)+6*(1+7)+5*(0+1)+4*(1+0)+3*(9+0)+2*(9+0) = 102;
        // 102 mod 11 = 3 -> control 8.
        assert_eq!(jmbg_check(&digits12("010199071000")), JmbgCheck::Digit(8));
        assert_eq!(jmbg(1, 1, 1990, 71, 0), "0101990710008");
        // 1,5,0,5,9,8,5,7,1,0,0,2: 42+72+5+20+27+20 = 186; 186 mod 11 = 10 -> control 1.
        assert_eq!(jmbg_check(&digits12("150598571002")), JmbgCheck::Digit(1));
    }

    #[test]
    fn generated_jmbg_is_valid_and_break_makes_it_invalid() {
        for serial in [0u16, 17, 499, 500, 998] {
            let j = jmbg(15, 5, 1985, 71, serial);
            assert_eq!(j.len(), 13);
            assert!(jmbg_valid_strict(&j), "{j}");
            assert!(!jmbg_valid_strict(&break_last_digit(&j)));
        }
    }

    #[test]
    fn disputed_jmbg_has_remainder_one() {
        let j = jmbg_disputed(1, 1, 1990, 71, 0);
        let first: [u8; 12] = digits12(&j[..12]);
        assert_eq!(jmbg_check(&first), JmbgCheck::Disputed);
        assert!(j.ends_with('0'));
    }

    #[test]
    fn iso7064_known_values() {
        // The Croatian OIB example published by the Tax Administration: 69435151530.
        assert_eq!(with_mod11_10("6943515153"), "69435151530");
        assert_eq!(iso7064_mod11_10("6943515153"), 0);
    }

    #[test]
    fn egn_and_cnp() {
        // EGN 752316926: 14+20+16+15+10+54+63+6+36 = 234; 234 mod 11 = 3.
        assert_eq!(egn("752316926"), "7523169263");
        // CNP 180010122114: 2+56+0+0+4+0+3+10+16+2+7+36 = 136; 136 mod 11 = 4.
        assert_eq!(cnp("180010122114"), "1800101221144");
    }
}
