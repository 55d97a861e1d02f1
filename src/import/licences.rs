//! Licence statements (Microsoft Licensing Statement, volume licensing "licence summary", a
//! reseller's list): rows of product, quantity, version and Software Assurance become
//! [`Holding`]s. Product descriptions are read in both spellings Microsoft uses: plain
//! ("Windows Server 2022 User CAL") and part-number style ("WinSvrCAL 2022 SNGL OLP NL UsrCAL").
//! Rows that are not CALs (server licences, Office) are listed as ignored, not as errors.

use super::columns::Field;
use super::dates::{self, DateOrder, OrderEvidence, RawDate};
use super::Row;
use crate::estate::{CalProduct, Holding, LicenceKind, SoftwareAssurance};

/// A holding as read, with the raw SA end date (resolved once the date order is known).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldingRow {
    pub line: u32,
    pub description: String,
    pub product: CalProduct,
    pub kind: LicenceKind,
    pub version: String,
    pub quantity: u32,
    pub sa: bool,
    pub sa_start: RawDate,
    pub sa_end: RawDate,
}

/// Holdings read from statements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Statement {
    pub rows: Vec<HoldingRow>,
    /// Rows that are not CALs: (line, description).
    pub ignored: Vec<(u32, String)>,
    pub evidence: OrderEvidence,
}

/// The first year 2000–2039 in a text ("2012 R2" → "2012").
pub fn year_in(s: &str) -> Option<String> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(3)).find_map(|i| {
        let w = b.get(i..i + 4)?;
        let before = i == 0 || !b[i - 1].is_ascii_digit();
        let after = b.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        (before
            && after
            && w[0] == b'2'
            && w[1] == b'0'
            && (b'0'..=b'3').contains(&w[2])
            && w[3].is_ascii_digit())
        .then(|| String::from_utf8_lossy(w).into_owned())
    })
}

/// Reads a product description into product and kind; `None` for something that is not a CAL or
/// External Connector.
pub fn parse_product(desc: &str, type_hint: &str) -> Option<(CalProduct, LicenceKind)> {
    let s = desc.to_ascii_lowercase().replace("client", "");
    let squashed: String = s.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let tokens: Vec<&str> = s
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    let has = |k: &str| squashed.contains(k);
    let ec =
        has("externalconnector") || has("extconn") || has("extconnector") || tokens.contains(&"ec");
    let cal = has("cal") || has("accesslicen");
    if !ec && !cal {
        return None;
    }
    let ent = has("enterprise")
        || has("entcal")
        || tokens.contains(&"ent")
        || has("svrent")
        || has("srvent");
    let exchange = has("exchange") || has("exchg");
    let sharepoint = has("sharepoint") || has("sharept") || has("shrpt");
    let skype = has("skype") || has("lync");
    let product = if exchange {
        if ent {
            CalProduct::ExchangeEnterprise
        } else {
            CalProduct::ExchangeStandard
        }
    } else if sharepoint {
        if ent {
            CalProduct::SharePointEnterprise
        } else {
            CalProduct::SharePointStandard
        }
    } else if skype {
        if ent {
            CalProduct::SkypeEnterprise
        } else {
            CalProduct::SkypeStandard
        }
    } else if has("sql") {
        CalProduct::SqlServer
    } else if has("remotedesktop")
        || has("rmtdsktp")
        || tokens.contains(&"rds")
        || has("terminalserv")
        || has("tscal")
    {
        CalProduct::Rds
    } else if has("rightsmanagement")
        || has("rightsmgmt")
        || tokens.contains(&"rms")
        || has("adrms")
    {
        CalProduct::AdRms
    } else if has("corecal") {
        CalProduct::CoreCalSuite
    } else if has("ecal") || has("enterprisecal") || (ent && has("suite")) {
        CalProduct::EnterpriseCalSuite
    } else if has("windowsserver")
        || has("winsvr")
        || has("winsrv")
        || has("windowssrv")
        || has("winserver")
    {
        CalProduct::WindowsServer
    } else {
        return None;
    };
    let hint = type_hint.to_ascii_lowercase();
    let kind = if ec {
        LicenceKind::ExternalConnector
    } else if hint.contains("dev")
        || (!hint.contains("us")
            && (has("devicecal")
                || has("dvccal")
                || tokens.contains(&"device")
                || tokens.contains(&"dvc")
                || has("devcal")))
    {
        LicenceKind::DeviceCal
    } else if hint.contains("us")
        || has("usercal")
        || has("usrcal")
        || tokens.contains(&"user")
        || tokens.contains(&"usr")
    {
        LicenceKind::UserCal
    } else {
        // A CAL that says neither: ask rather than guess.
        return None;
    };
    Some((product, kind))
}

fn parse_quantity(s: &str) -> Option<u32> {
    let digits: String = s
        .chars()
        .filter(|c| !matches!(c, ',' | '.' | ' ' | '\u{a0}' | '\''))
        .collect();
    digits.parse().ok()
}

impl Statement {
    pub(crate) fn row(&mut self, row: &Row<'_>) -> Result<(), String> {
        let desc = row.text(Field::Product).to_string();
        if desc.is_empty() {
            return Err("no product".into());
        }
        let q = row.text(Field::Quantity);
        let Some((product, kind)) = parse_product(&desc, &row.text(Field::LicenceType)) else {
            self.ignored.push((row.line, desc));
            return Ok(());
        };
        let quantity =
            parse_quantity(&q).ok_or_else(|| format!("quantity `{q}` is not a whole number"))?;
        let version = year_in(&row.text(Field::Version))
            .or_else(|| year_in(&desc))
            .unwrap_or_default();
        let sa_text = row.text(Field::SoftwareAssurance);
        let sa_end_text = row.text(Field::SaEnd);
        let sa_end = dates::parse(&sa_end_text);
        if sa_end == RawDate::Invalid {
            return Err(format!(
                "`{sa_end_text}` in {} is not a date",
                Field::SaEnd.label()
            ));
        }
        self.evidence.note(sa_end);
        let sa_start_text = row.text(Field::SaStart);
        let sa_start = dates::parse(&sa_start_text);
        if sa_start == RawDate::Invalid {
            return Err(format!(
                "`{sa_start_text}` in {} is not a date",
                Field::SaStart.label()
            ));
        }
        self.evidence.note(sa_start);
        let sa = super::directory::parse_bool(&sa_text).unwrap_or(false)
            || desc.to_ascii_lowercase().contains(" sa")
            || desc.to_ascii_lowercase().contains("lic/sa")
            || desc.to_ascii_lowercase().contains("w/sa");
        self.rows.push(HoldingRow {
            line: row.line,
            description: desc,
            product,
            kind,
            version,
            quantity,
            sa,
            sa_start,
            sa_end,
        });
        Ok(())
    }

    /// The holdings, with SA until the end date read (or open-ended when the file gives none).
    /// When the file gives no SA start, `since` is `today`: that grants no version released
    /// earlier, the safe reading until the user enters the agreement start.
    pub fn holdings(&self, order: Option<DateOrder>, today: crate::estate::Date) -> Vec<Holding> {
        let order = order
            .or(self.evidence.decided())
            .unwrap_or(DateOrder::MonthFirst);
        self.rows
            .iter()
            .map(|r| Holding {
                product: r.product,
                kind: r.kind,
                version: r.version.clone(),
                quantity: r.quantity,
                software_assurance: r.sa.then(|| SoftwareAssurance {
                    since: r.sa_start.resolve(order).unwrap_or(today),
                    until: r.sa_end.resolve(order),
                }),
                assigned_to: None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_number_style_descriptions_are_read() {
        assert_eq!(
            parse_product("WinSvrCAL 2022 SNGL OLP NL UsrCAL", ""),
            Some((CalProduct::WindowsServer, LicenceKind::UserCal))
        );
        assert_eq!(
            parse_product("WinRmtDsktpSrvcsCAL 2019 SNGL OLP NL DvcCAL", ""),
            Some((CalProduct::Rds, LicenceKind::DeviceCal))
        );
        assert_eq!(
            parse_product("ExchgSvrEntCAL 2019 SNGL OLP NL UsrCAL wSrvcs", ""),
            Some((CalProduct::ExchangeEnterprise, LicenceKind::UserCal))
        );
    }

    #[test]
    fn plain_descriptions_and_external_connectors() {
        assert_eq!(
            parse_product("Windows Server 2022 External Connector", ""),
            Some((CalProduct::WindowsServer, LicenceKind::ExternalConnector))
        );
        assert_eq!(
            parse_product("Core CAL Suite - Device CAL", ""),
            Some((CalProduct::CoreCalSuite, LicenceKind::DeviceCal))
        );
        assert_eq!(
            parse_product("SQL Server 2019 Client Access License", "User"),
            Some((CalProduct::SqlServer, LicenceKind::UserCal))
        );
    }

    #[test]
    fn server_licences_are_not_cals() {
        assert_eq!(
            parse_product("Windows Server Standard 2022 16 Core", ""),
            None
        );
    }

    #[test]
    fn year_is_taken_from_the_description() {
        assert_eq!(
            year_in("Windows Server 2012 R2 CAL"),
            Some("2012".to_string())
        );
    }
}
