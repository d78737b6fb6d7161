//! The synthetic states: one entry per profile of issue 3 plus an EU test TSP.
//!
//! Every person, organisation and number here is fictitious test material. Names are common ones
//! of each language (in its own script), so that UTF-8 handling is exercised; identifiers carry a
//! valid check digit where the scheme documents one (JMBG/EMBG, OIB, PIB, EGN, CNP) and are plain
//! synthetic digits elsewhere.

use crate::ids;

/// How a state's natural-person identifier is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonId {
    /// JMBG/EMBG with the region code RR (RS, ME, BA, MK).
    Jmbg { region: u8 },
    /// Croatian OIB (ISO 7064 MOD 11,10) from a 10-digit body.
    Oib(&'static str),
    /// Bulgarian EGN from a 9-digit body.
    Egn(&'static str),
    /// Romanian CNP from a 12-digit body.
    Cnp(&'static str),
    /// A synthetic number without a documented check digit.
    Plain(&'static str),
}

/// How a state's legal-person identifier value is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgId {
    /// ISO 7064 MOD 11,10 control digit appended (Serbian PIB, Croatian OIB).
    Mod11_10(&'static str),
    Plain(&'static str),
}

impl OrgId {
    pub fn value(self) -> String {
        match self {
            OrgId::Mod11_10(body) => ids::with_mod11_10(body),
            OrgId::Plain(v) => v.to_string(),
        }
    }
}

/// One synthetic state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// The directory name under `test-vectors/` and the state code (`rs`, ..., `eu`).
    pub code: &'static str,
    /// The profile id of issue 3 (`rs`, ..., `eu-eidas`).
    pub profile: &'static str,
    /// ISO 3166-1 alpha-2 country code (`XK` for Kosovo, the user-assigned code in use).
    pub country: &'static str,
    /// The country prefix used in `VAT` identifiers (`EL` for Greece, as in the EU VAT system).
    pub vat_prefix: &'static str,
    pub eu_member: bool,
    pub name_en: &'static str,
    /// ISO 639-1 languages of the PDS (English first).
    pub pds_langs: &'static [&'static str],
    pub given_name: &'static str,
    pub surname: &'static str,
    /// Birth date (day, month, year) of the synthetic person.
    pub birth: (u8, u8, u16),
    /// Identifier type reference of the person (EN 319 412-1 §5.1.3: PNO or TIN).
    pub person_id_type: &'static str,
    pub person_id: PersonId,
    pub organisation: &'static str,
    pub locality: &'static str,
    pub vat: OrgId,
    pub ntr: &'static str,
}

impl State {
    /// The DNS name of one of this state's synthetic services, under `example.com`, which
    /// RFC 2606 §3 reserves for examples. (A `.invalid` name would be truer, but linters such as
    /// pkilint rightly flag non-public names in certificates, which would make every valid leaf
    /// fail; nothing in this project resolves these names — loopback servers map them.)
    pub fn host(&self, service: &str) -> String {
        format!("{service}.{}.testpki.example.com", self.code)
    }

    /// The person's identifier value (without the `PNORS-` prefix).
    pub fn person_id_value(&self) -> String {
        let (d, m, y) = self.birth;
        match self.person_id {
            PersonId::Jmbg { region } => ids::jmbg(d, m, y, region, 512),
            PersonId::Oib(body) => ids::with_mod11_10(body),
            PersonId::Egn(body) => ids::egn(body),
            PersonId::Cnp(body) => ids::cnp(body),
            PersonId::Plain(v) => v.to_string(),
        }
    }

    /// `PNORS-0101990710008` (EN 319 412-1 §5.1.3).
    pub fn person_semantics_id(&self) -> String {
        format!("{}{}-{}", self.person_id_type, self.country, self.person_id_value())
    }

    /// `VATRS-100002887` (EN 319 412-1 §5.1.4).
    pub fn vat_semantics_id(&self) -> String {
        format!("VAT{}-{}", self.vat_prefix, self.vat.value())
    }

    /// `NTRRS-21012345` (EN 319 412-1 §5.1.4).
    pub fn ntr_semantics_id(&self) -> String {
        format!("NTR{}-{}", self.country, self.ntr)
    }

    /// Whether the JMBG/EMBG rules of issue 3 §3 apply (RS, ME, BA, MK). Slovenia's EMŠO has the
    /// same format and is generated the same way, but no JMBG variants are emitted for it.
    pub fn jmbg_rules(&self) -> bool {
        matches!(self.person_id, PersonId::Jmbg { .. }) && matches!(self.code, "rs" | "me" | "ba" | "mk")
    }
}

/// All states, in the order they are generated.
pub fn all() -> Vec<State> {
    vec![
        State {
            code: "rs",
            profile: "rs",
            country: "RS",
            vat_prefix: "RS",
            eu_member: false,
            name_en: "Serbia",
            pds_langs: &["en", "sr"],
            given_name: "Marko",
            surname: "Petrović",
            birth: (15, 5, 1985),
            person_id_type: "PNO",
            person_id: PersonId::Jmbg { region: 71 },
            organisation: "Sintetika d.o.o. Beograd (TEST)",
            locality: "Beograd",
            vat: OrgId::Mod11_10("10000288"),
            ntr: "21012345",
        },
        State {
            code: "me",
            profile: "me",
            country: "ME",
            vat_prefix: "ME",
            eu_member: false,
            name_en: "Montenegro",
            pds_langs: &["en"],
            given_name: "Milica",
            surname: "Vujović",
            birth: (3, 11, 1990),
            person_id_type: "PNO",
            person_id: PersonId::Jmbg { region: 21 },
            organisation: "Sintetika d.o.o. Podgorica (TEST)",
            locality: "Podgorica",
            vat: OrgId::Plain("02123456"),
            ntr: "50012345",
        },
        State {
            code: "mk",
            profile: "mk",
            country: "MK",
            vat_prefix: "MK",
            eu_member: false,
            name_en: "North Macedonia",
            pds_langs: &["en", "mk"],
            given_name: "Марија",
            surname: "Стојановска",
            birth: (22, 7, 1988),
            person_id_type: "PNO",
            person_id: PersonId::Jmbg { region: 41 },
            organisation: "Синтетика ДООЕЛ Скопје (TEST)",
            locality: "Скопје",
            vat: OrgId::Plain("4030012345678"),
            ntr: "7012345",
        },
        State {
            code: "al",
            profile: "al",
            country: "AL",
            vat_prefix: "AL",
            eu_member: false,
            name_en: "Albania",
            pds_langs: &["en", "sq"],
            given_name: "Arben",
            surname: "Hoxha",
            birth: (12, 4, 1984),
            person_id_type: "PNO",
            person_id: PersonId::Plain("9000012345"),
            organisation: "Sintetika sh.p.k. (TEST)",
            locality: "Tiranë",
            vat: OrgId::Plain("L91234567A"),
            ntr: "L91234567A",
        },
        State {
            code: "ba",
            profile: "ba",
            country: "BA",
            vat_prefix: "BA",
            eu_member: false,
            name_en: "Bosnia and Herzegovina",
            pds_langs: &["en", "bs"],
            given_name: "Amra",
            surname: "Hadžić",
            birth: (9, 2, 1979),
            person_id_type: "PNO",
            person_id: PersonId::Jmbg { region: 17 },
            organisation: "Sintetika d.o.o. Sarajevo (TEST)",
            locality: "Sarajevo",
            vat: OrgId::Plain("200123450009"),
            ntr: "4200123450009",
        },
        State {
            code: "xk",
            profile: "xk",
            country: "XK",
            vat_prefix: "XK",
            eu_member: false,
            name_en: "Kosovo",
            pds_langs: &["en", "sq"],
            given_name: "Arta",
            surname: "Krasniqi",
            birth: (30, 8, 1992),
            person_id_type: "PNO",
            person_id: PersonId::Plain("1234500001"),
            organisation: "Sintetika L.L.C. (TEST)",
            locality: "Prishtinë",
            vat: OrgId::Plain("330123456"),
            ntr: "810123456",
        },
        State {
            code: "hr",
            profile: "hr",
            country: "HR",
            vat_prefix: "HR",
            eu_member: true,
            name_en: "Croatia",
            pds_langs: &["en", "hr"],
            given_name: "Ivana",
            surname: "Horvat",
            birth: (1, 3, 1987),
            person_id_type: "PNO",
            person_id: PersonId::Oib("1234567890"),
            organisation: "Sintetika d.o.o. Zagreb (TEST)",
            locality: "Zagreb",
            vat: OrgId::Mod11_10("9876543210"),
            ntr: "080123456",
        },
        State {
            code: "si",
            profile: "si",
            country: "SI",
            vat_prefix: "SI",
            eu_member: true,
            name_en: "Slovenia",
            pds_langs: &["en", "sl"],
            given_name: "Luka",
            surname: "Novak",
            birth: (19, 10, 1983),
            person_id_type: "PNO",
            person_id: PersonId::Jmbg { region: 50 },
            organisation: "Sintetika d.o.o. Ljubljana (TEST)",
            locality: "Ljubljana",
            vat: OrgId::Plain("87654320"),
            ntr: "1234567000",
        },
        State {
            code: "bg",
            profile: "bg",
            country: "BG",
            vat_prefix: "BG",
            eu_member: true,
            name_en: "Bulgaria",
            pds_langs: &["en", "bg"],
            given_name: "Иван",
            surname: "Петров",
            birth: (12, 4, 1985),
            person_id_type: "PNO",
            person_id: PersonId::Egn("850412123"),
            organisation: "Синтетика ЕООД (TEST)",
            locality: "София",
            vat: OrgId::Plain("201234567"),
            ntr: "201234567",
        },
        State {
            code: "ro",
            profile: "ro",
            country: "RO",
            vat_prefix: "RO",
            eu_member: true,
            name_en: "Romania",
            pds_langs: &["en", "ro"],
            given_name: "Andrei",
            surname: "Popescu",
            birth: (12, 4, 1985),
            person_id_type: "PNO",
            person_id: PersonId::Cnp("185041240012"),
            organisation: "Sintetica S.R.L. (TEST)",
            locality: "București",
            vat: OrgId::Plain("12345678"),
            ntr: "J40/1234/2020",
        },
        State {
            code: "el",
            profile: "el",
            country: "GR",
            vat_prefix: "EL",
            eu_member: true,
            name_en: "Greece",
            pds_langs: &["en", "el"],
            given_name: "Γεώργιος",
            surname: "Παπαδόπουλος",
            birth: (25, 3, 1981),
            person_id_type: "TIN",
            person_id: PersonId::Plain("123456783"),
            organisation: "Συνθετική Α.Ε. (TEST)",
            locality: "Αθήνα",
            vat: OrgId::Plain("998765432"),
            ntr: "123456701000",
        },
        State {
            code: "eu",
            profile: "eu-eidas",
            country: "BE",
            vat_prefix: "BE",
            eu_member: true,
            name_en: "EU test TSP (established in Belgium)",
            pds_langs: &["en"],
            given_name: "Jan",
            surname: "Peeters",
            birth: (7, 6, 1980),
            person_id_type: "PNO",
            person_id: PersonId::Plain("80060712345"),
            organisation: "Synthetica EU Trust Services (TEST)",
            locality: "Brussel",
            vat: OrgId::Plain("0123456789"),
            ntr: "0123456789",
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_ids_well_formed() {
        let states = all();
        let mut codes: Vec<&str> = states.iter().map(|s| s.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), 12);
        for s in &states {
            let id = s.person_semantics_id();
            assert_eq!(&id[5..6], "-", "{id}");
            assert!(id[3..5].chars().all(|c| c.is_ascii_uppercase()));
            assert!(s.vat_semantics_id().starts_with("VAT"));
            if s.jmbg_rules() {
                assert_eq!(s.person_id_value().len(), 13);
            }
        }
        let rs = states.iter().find(|s| s.code == "rs").unwrap();
        assert!(rs.person_semantics_id().starts_with("PNORS-1505985715"));
    }
}
