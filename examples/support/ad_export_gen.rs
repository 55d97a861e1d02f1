//! A synthetic `Get-ADUser -Properties … | Export-Csv` file of any size, for benchmarks: shared by
//! `benches/import.rs` and `examples/gen_ad_export.rs` (which writes it for the browser benchmark).
//! Deterministic (a fixed linear congruential generator); every name is invented.

#![allow(dead_code)]

/// Columns written (a realistic subset of `-Properties *`).
pub const COLUMNS: [&str; 22] = [
    "AccountExpirationDate",
    "accountExpires",
    "CanonicalName",
    "City",
    "Company",
    "Department",
    "Description",
    "DisplayName",
    "DistinguishedName",
    "EmailAddress",
    "EmployeeID",
    "employeeType",
    "Enabled",
    "GivenName",
    "LastLogonDate",
    "lastLogonTimestamp",
    "PasswordNeverExpires",
    "SamAccountName",
    "servicePrincipalName",
    "Surname",
    "UserPrincipalName",
    "whenCreated",
];

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const FIRST: [&str; 16] = [
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
];
const LAST: [&str; 16] = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
    "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green",
];
const DEPTS: [&str; 6] = [
    "Sales",
    "Finance",
    "Engineering",
    "Operations",
    "Legal",
    "Support",
];
const CITIES: [&str; 5] = ["London", "Leeds", "Zürich", "München", "Dublin"];

/// FileTime of 2025-06-30 00:00 UTC.
const FT_TODAY: u64 = 133_957_152_000_000_000;
const FT_DAY: u64 = 864_000_000_000;

/// The export as UTF-8 with CRLF line ends and every field quoted, as PowerShell 7 writes it.
pub fn ad_export(accounts: usize) -> Vec<u8> {
    use std::fmt::Write;
    let mut rng = Lcg(0x5eed);
    let mut s = String::with_capacity(accounts * 520);
    s.push_str("#TYPE Microsoft.ActiveDirectory.Management.ADUser\r\n");
    let header: Vec<String> = COLUMNS.iter().map(|c| format!("\"{c}\"")).collect();
    s.push_str(&header.join(","));
    s.push_str("\r\n");
    for i in 0..accounts {
        let first = FIRST[rng.below(16) as usize];
        let last = LAST[rng.below(16) as usize];
        let dept = DEPTS[rng.below(6) as usize];
        let city = CITIES[rng.below(5) as usize];
        let roll = rng.below(100);
        let sam = match roll {
            0 => format!("svc_app{i}"),
            1 => format!(
                "adm-{}{}{i}",
                &first[..1].to_lowercase(),
                last.to_lowercase()
            ),
            _ => format!("{}{}{i}", &first[..1].to_lowercase(), last.to_lowercase()),
        };
        let enabled = if roll < 92 { "True" } else { "False" };
        let days_ago = if roll < 80 {
            rng.below(60)
        } else {
            60 + rng.below(400)
        };
        let ft = FT_TODAY - days_ago * FT_DAY - rng.below(FT_DAY);
        let (y, m, d) = civil(ft / FT_DAY);
        let h = 1 + rng.below(12);
        let min = rng.below(60);
        let pm = if rng.below(2) == 0 { "AM" } else { "PM" };
        let kind = if roll < 85 {
            "Employee"
        } else if roll < 95 {
            "Contractor"
        } else {
            ""
        };
        let spn = if roll == 0 {
            "HTTP/app.corp.example"
        } else {
            ""
        };
        let desc = if roll == 3 {
            "Team lead,\r\nsays \"\"hello\"\""
        } else {
            ""
        };
        let _ = write!(
            s,
            "\"\",\"9223372036854775807\",\"corp.example/{city}/{dept}/{first} {last}\",\"{city}\",\"Example Ltd\",\"{dept}\",\"{desc}\",\"{first} {last}\",\"CN={first} {last},OU={dept},OU={city},DC=corp,DC=example\",\"{sam}@example.com\",\"E{i:07}\",\"{kind}\",\"{enabled}\",\"{first}\",\"{m}/{d}/{y} {h}:{min:02} {pm}\",\"{ft}\",\"False\",\"{sam}\",\"{spn}\",\"{last}\",\"{sam}@corp.example\",\"{m}/{d}/2019 9:00:00 AM\"\r\n",
        );
    }
    s.into_bytes()
}

/// (year, month, day) of a day count since 1601-01-01.
fn civil(days_since_1601: u64) -> (i64, u32, u32) {
    let z = days_since_1601 as i64 - 134_774 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}
