//! Column names of the exports this import reads, their synonyms, and the detection of a file's
//! kind from its header. The mapping found automatically is a value ([`ColumnMapping`]) the user
//! can correct and pass back in.

use serde::{Deserialize, Serialize};

/// What a file holds, decided from its header (or chosen by the user).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// Active Directory users (`Get-ADUser -Properties * | Export-Csv`, csvde, ADUC export).
    AdUsers,
    /// Entra ID users (portal "Download users" CSV, Graph export).
    EntraUsers,
    /// Computers and devices (Get-ADComputer, Intune, Configuration Manager).
    Devices,
    /// Who used which device to reach which server (UAL, logon events, session logs).
    Usage,
    /// RD Licensing per-user / per-device CAL report.
    RdsLicensing,
    /// Licence statement / volume licensing summary: what is owned.
    LicenceStatement,
}

crate::named::named_enum!(FileKind {
    AdUsers => "ad-users",
    EntraUsers => "entra-users",
    Devices => "devices",
    Usage => "usage",
    RdsLicensing => "rds-licensing",
    LicenceStatement => "licence-statement",
});

impl FileKind {
    pub fn label(self) -> &'static str {
        match self {
            FileKind::AdUsers => "Active Directory users",
            FileKind::EntraUsers => "Entra ID users",
            FileKind::Devices => "devices",
            FileKind::Usage => "usage log",
            FileKind::RdsLicensing => "RD Licensing report",
            FileKind::LicenceStatement => "licence statement",
        }
    }

    /// Directory exports (accounts of people).
    pub fn is_directory(self) -> bool {
        matches!(self, FileKind::AdUsers | FileKind::EntraUsers)
    }
}

/// A column the import understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    // Accounts
    AccountName,
    Upn,
    DisplayName,
    Mail,
    EmployeeId,
    EmployeeType,
    Company,
    DistinguishedName,
    Enabled,
    UserAccountControl,
    AccountExpires,
    LastLogon,
    Created,
    PasswordNeverExpires,
    ServicePrincipalName,
    UserType,
    /// Exchange's RecipientTypeDetails (`UserMailbox`, `SharedMailbox`, `RoomMailbox`).
    RecipientType,
    /// The licences assigned to the account (the Microsoft 365 admin centre's "Licenses"):
    /// which Microsoft 365 plan, if any, carries its CAL rights.
    Licences,
    // Devices
    DeviceName,
    OperatingSystem,
    PrimaryUser,
    DeviceType,
    /// The directory object's class (`printQueue` for a printer published in AD).
    ObjectClass,
    /// A column only printers fill: model, driver, share or port name.
    PrinterModel,
    // Usage
    User,
    ClientDevice,
    Server,
    Role,
    LogonType,
    /// The domain of a logon's account (`TargetDomainName`: `NT AUTHORITY`, `IIS APPPOOL`).
    Domain,
    // RD Licensing
    IssuedTo,
    CalType,
    // Licence statements
    Product,
    Quantity,
    Version,
    LicenceType,
    SoftwareAssurance,
    SaStart,
    SaEnd,
}

crate::named::named_enum!(Field {
    AccountName => "account-name",
    Upn => "upn",
    DisplayName => "display-name",
    Mail => "mail",
    EmployeeId => "employee-id",
    EmployeeType => "employee-type",
    Company => "company",
    DistinguishedName => "distinguished-name",
    Enabled => "enabled",
    UserAccountControl => "user-account-control",
    AccountExpires => "account-expires",
    LastLogon => "last-logon",
    Created => "created",
    PasswordNeverExpires => "password-never-expires",
    ServicePrincipalName => "service-principal-name",
    UserType => "user-type",
    RecipientType => "recipient-type",
    Licences => "licences",
    DeviceName => "device-name",
    OperatingSystem => "operating-system",
    PrimaryUser => "primary-user",
    DeviceType => "device-type",
    ObjectClass => "object-class",
    PrinterModel => "printer-model",
    User => "user",
    ClientDevice => "client-device",
    Server => "server",
    Role => "role",
    LogonType => "logon-type",
    Domain => "domain",
    IssuedTo => "issued-to",
    CalType => "cal-type",
    Product => "product",
    Quantity => "quantity",
    Version => "version",
    LicenceType => "licence-type",
    SoftwareAssurance => "software-assurance",
    SaStart => "sa-start",
    SaEnd => "sa-end",
});

impl Field {
    /// The usual column name, for the mapping editor.
    pub fn label(self) -> &'static str {
        use Field::*;
        match self {
            AccountName => "sAMAccountName",
            Upn => "UserPrincipalName",
            DisplayName => "DisplayName",
            Mail => "mail",
            EmployeeId => "employeeID",
            EmployeeType => "employeeType",
            Company => "company",
            DistinguishedName => "DistinguishedName",
            Enabled => "Enabled",
            UserAccountControl => "userAccountControl",
            AccountExpires => "accountExpires",
            LastLogon => "lastLogonTimestamp / LastLogonDate",
            Created => "whenCreated",
            PasswordNeverExpires => "PasswordNeverExpires",
            ServicePrincipalName => "servicePrincipalName",
            UserType => "userType (Member/Guest)",
            RecipientType => "RecipientTypeDetails",
            Licences => "Licenses (assigned)",
            DeviceName => "Device name",
            OperatingSystem => "OperatingSystem",
            PrimaryUser => "Primary user",
            DeviceType => "Device type",
            ObjectClass => "objectClass",
            PrinterModel => "Printer model / driver",
            User => "User",
            ClientDevice => "Client device",
            Server => "Server",
            Role => "Role / product",
            LogonType => "Logon type",
            Domain => "Domain (TargetDomainName)",
            IssuedTo => "Issued to",
            CalType => "CAL type",
            Product => "Product",
            Quantity => "Quantity",
            Version => "Version",
            LicenceType => "Licence type",
            SoftwareAssurance => "Software Assurance",
            SaStart => "SA start date",
            SaEnd => "SA end date",
        }
    }

    /// Fields each kind reads.
    pub fn for_kind(kind: FileKind) -> &'static [Field] {
        use Field::*;
        match kind {
            FileKind::AdUsers | FileKind::EntraUsers => &[
                AccountName,
                Upn,
                DisplayName,
                Mail,
                EmployeeId,
                EmployeeType,
                Company,
                DistinguishedName,
                Enabled,
                UserAccountControl,
                AccountExpires,
                LastLogon,
                Created,
                PasswordNeverExpires,
                ServicePrincipalName,
                UserType,
                RecipientType,
                Licences,
            ],
            FileKind::Devices => &[
                DeviceName,
                OperatingSystem,
                PrimaryUser,
                DeviceType,
                Enabled,
                LastLogon,
                DistinguishedName,
                ObjectClass,
                PrinterModel,
            ],
            FileKind::Usage => &[
                User,
                ClientDevice,
                Server,
                Role,
                LogonType,
                Domain,
                LastLogon,
            ],
            FileKind::RdsLicensing => &[
                IssuedTo,
                CalType,
                Server,
                Version,
                LastLogon,
                AccountExpires,
            ],
            FileKind::LicenceStatement => &[
                Product,
                Quantity,
                Version,
                LicenceType,
                SoftwareAssurance,
                SaStart,
                SaEnd,
            ],
        }
    }
}

/// Header names normalised: letters and digits only, ASCII letters in lower case. The synonyms
/// are ASCII, so a letter outside it never matches one whatever its case; and the headers a user
/// picks are matched with names normalised the same way. Not `char::to_lowercase`, whose Unicode
/// case tables the app module (the column editor) would carry.
pub fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Synonyms per field for one kind, normalised, best first.
fn synonyms(kind: FileKind, f: Field) -> &'static [&'static str] {
    use Field::*;
    let dir = kind.is_directory();
    match f {
        AccountName if dir => &[
            "samaccountname",
            "accountname",
            "logonname",
            "userlogonname",
            "username",
            "login",
        ],
        Upn => &["userprincipalname", "upn", "principalname", "signinname"],
        DisplayName => &["displayname", "name", "cn", "fullname"],
        Mail => &[
            "mail",
            "emailaddress",
            "email",
            "primarysmtpaddress",
            "emailaddresses",
        ],
        EmployeeId => &[
            "employeeid",
            "employeenumber",
            "personnelnumber",
            "staffid",
            "employeeno",
        ],
        EmployeeType => &[
            "employeetype",
            "worker type",
            "workertype",
            "persontype",
            "usercategory",
        ],
        Company => &["company", "companyname", "organisation", "organization"],
        DistinguishedName => &[
            "distinguishedname",
            "dn",
            "canonicalname",
            "ou",
            "organizationalunit",
        ],
        Enabled if dir => &[
            "enabled",
            "accountenabled",
            "blocksignin",
            "blockcredential",
            "signinblocked",
        ],
        Enabled => &["enabled", "accountenabled", "isenabled", "active"],
        UserAccountControl => &["useraccountcontrol", "uac"],
        // RD Licensing: when the CAL expires (a CAL expired before the count proves no use).
        AccountExpires if kind == FileKind::RdsLicensing => &[
            "expireson",
            "expirationdate",
            "expirydate",
            "expires",
            "expiry",
            "validuntil",
        ],
        AccountExpires => &[
            "accountexpires",
            "accountexpirationdate",
            "expires",
            "expirydate",
        ],
        // A Graph response's signInActivity (read from JSON, `signInActivity.…`): the last
        // successful sign-in, interactive or not, before the interactive sign-ins alone (a
        // person whose Outlook signs in every day may not have signed in interactively for
        // months).
        LastLogon if dir => &[
            "lastlogontimestamp",
            "lastlogondate",
            "signinactivitylastsuccessfulsignindatetime",
            "lastsuccessfulsignindatetime",
            "signinactivitylastsignindatetime",
            "lastsignindatetime",
            "lastsignin",
            "lastinteractivesignin",
            "lastlogon",
            "lastactivity",
        ],
        LastLogon if kind == FileKind::Devices => &[
            "lastlogondate",
            "lastlogontimestamp",
            "lastcheckin",
            "lastcheckindatetime",
            "lastsyncdatetime",
            "lastactivetime",
            "lastseen",
            "lastcontact",
            "lastlogon",
        ],
        LastLogon => &[
            "lastseen",
            "timecreated",
            "date",
            "time",
            "timestamp",
            "issuedon",
            "issueddate",
            "lastaccess",
            "datetime",
        ],
        Created => &[
            "whencreated",
            "createtimestamp",
            "created",
            "createddatetime",
            "creationdate",
        ],
        PasswordNeverExpires => &["passwordneverexpires", "pwdneverexpires"],
        ServicePrincipalName => &["serviceprincipalname", "serviceprincipalnames", "spn"],
        UserType => &["usertype", "creationtype"],
        RecipientType => &["recipienttypedetails", "mailboxtype"],
        Licences => &[
            "licenses",
            "licences",
            // A Graph response's assignedLicenses (read from JSON): their product ids.
            "assignedlicensesskuid",
            "assignedlicenses",
            "assignedlicences",
            "licenseassignments",
            "licenceassignments",
            "assignedproducts",
            "skupartnumber",
            "skupartnumbers",
            "skuid",
            "skuids",
        ],
        DeviceName => &[
            "devicename",
            "computername",
            "name",
            "dnshostname",
            "hostname",
            "machinename",
            // Lansweeper's and other asset inventories' "AssetName".
            "assetname",
            "netbiosname",
            // A computer account's name (`WS000$`): the `$` is dropped as the row is read.
            "samaccountname",
        ],
        OperatingSystem => &[
            "operatingsystem",
            "os",
            "osname",
            "platform",
            "operatingsystemnameandversion",
        ],
        PrimaryUser => &[
            "primaryuserupn",
            "primaryuser",
            "primaryusers",
            "userprincipalname",
            // Not `managedby`: Intune's "Managed by" is the management agent (Intune,
            // Co-managed) and AD's ManagedBy an owner DN, mostly empty; neither is who uses the
            // device (review 20).
            "assignedto",
            "lastloggedonuser",
            "username",
            "user",
        ],
        DeviceType => &[
            "devicetype",
            "type",
            "chassistype",
            "devicecategory",
            "category",
            // Lansweeper's and other asset inventories' "Asset type" (Windows, Switch, Printer).
            "assettype",
            "model",
        ],
        ObjectClass => &["objectclass", "objectcategory"],
        PrinterModel => &[
            "printermodel",
            "printerdriver",
            "drivername",
            "printername",
            "printsharename",
            "printershare",
            "portname",
            "printerport",
        ],
        User => &[
            "username",
            "targetusername",
            "user",
            "accountname",
            "userprincipalname",
            "samaccountname",
            "issuedtouser",
        ],
        ClientDevice => &[
            "clientdevice",
            "workstationname",
            "clientname",
            "device",
            "devicename",
            "clientaddress",
            "ipaddress",
            "sourcenetworkaddress",
            "sourceaddress",
            "client",
        ],
        Server => &[
            "server",
            "servername",
            "targetserver",
            "sessionhost",
            "host",
            "computer",
            "machinename",
            "pscomputername",
            "computername",
            "licenseserver",
        ],
        Role => &[
            "rolename",
            "productname",
            "role",
            "service",
            "application",
            "feature",
        ],
        LogonType => &["logontype", "sessiontype", "protocol"],
        Domain => &[
            "targetdomainname",
            "domain",
            "domainname",
            "userdomain",
            "accountdomain",
        ],
        IssuedTo => &[
            "issuedto",
            "issuedtouser",
            "issuedtocomputer",
            "issuedtodevice",
            "user",
            "device",
            "computer",
        ],
        CalType => &[
            "caltype",
            "licensetype",
            "licencetype",
            "cal",
            "producttype",
            "type",
        ],
        Product => &[
            "product",
            "productname",
            "productdescription",
            "description",
            "licensename",
            "licencename",
            "itemname",
            "partdescription",
            "productfamily",
            "item",
            "sku",
            // A tenant's subscriptions ([`is_subscriptions`]): `SPE_E3`, `contoso:SPE_E3`.
            "skupartnumber",
            "accountskuid",
            "skuid",
        ],
        Quantity => &[
            "quantity",
            "qty",
            "effectivequantity",
            "licensequantity",
            "licences",
            "licenses",
            "count",
            "totalquantity",
            "owned",
        ],
        Version => &[
            "version",
            "productversion",
            "licenseversion",
            "licenceversion",
            "calversion",
            "versionname",
            "ver",
        ],
        LicenceType => &[
            "licencetype",
            "licensetype",
            "caltype",
            "usertypedevicetype",
            "userordevice",
            // A statement's plain "Type" column ("User", "Device"; review 22). Only a statement
            // reads this field, and a value that says neither leaves the product text to decide.
            "type",
        ],
        SoftwareAssurance => &[
            "softwareassurance",
            "sa",
            "sacoverage",
            "withsa",
            "activesa",
            "sastatus",
            "softwareassurancestatus",
            "sacovered",
        ],
        SaStart => &[
            "sastart",
            "sastartdate",
            "softwareassurancestart",
            "softwareassurancestartdate",
            "coveragestart",
            "coveragestartdate",
        ],
        SaEnd => &[
            "saend",
            "saenddate",
            "saexpiration",
            "saexpirationdate",
            "saexpiry",
            "saexpirydate",
            "saexpires",
            "softwareassuranceend",
            "softwareassuranceenddate",
            "softwareassuranceexpiration",
            "softwareassuranceexpirationdate",
            "coverageend",
            "coverageenddate",
        ],
        _ => &[],
    }
}

/// The seats' column of a tenant's list of subscriptions ([`is_subscriptions`]), normalised,
/// best first, after a statement's own quantity columns: the units enabled, as
/// `Get-MsolAccountSku` names them, as `Get-MgSubscribedSku`'s PrepaidUnits.Enabled comes out of
/// a script, or as scripts name them; never ConsumedUnits, the units assigned. Only for such a
/// list: another file read as a statement (a users export, by mistake) has an "Enabled" column
/// that is no quantity.
const SUBSCRIPTION_SEATS: &[&str] = &[
    "activeunits",
    "prepaidunitsenabled",
    "enabledunits",
    "enabled",
    "purchasedunits",
    "purchasedlicenses",
    "purchased",
    "totalunits",
    "totallicenses",
    "total",
    // `Get-MgSubscribedSku | Export-Csv` writes the object's type name here, not its figures:
    // mapped, so the rows can say so.
    "prepaidunits",
];

/// A statement's start and end dates that do not name Software Assurance, normalised: SA dates
/// only beside an SA column (a yes/no one), which says the dates are the SA's. Alone they may
/// be the agreement's term, which is not SA (an Open License agreement's two years).
const GENERIC_SA_DATES: &[(Field, &[&str])] = &[
    (Field::SaStart, &["startdate", "effectivedate"]),
    (
        Field::SaEnd,
        &["enddate", "expirydate", "expirationdate", "expires"],
    ),
];

/// Whether a statement's column (normalised name) holds dates of a term that is not Software
/// Assurance's by its name alone: the agreement's ("Agreement Start Date"), or a start or end
/// that names nothing ("Start Date", "End Date").
pub fn is_term_date(norm: &str) -> bool {
    norm.starts_with("agreement")
        && (norm.contains("date")
            || norm.contains("start")
            || norm.contains("end")
            || norm.contains("expir"))
        || GENERIC_SA_DATES
            .iter()
            .any(|(_, names)| names.contains(&norm))
}

/// Which header column feeds each field; a column feeds at most one field.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// `(field, column index)` pairs.
    pub columns: Vec<(Field, usize)>,
}

impl ColumnMapping {
    pub fn get(&self, f: Field) -> Option<usize> {
        self.columns.iter().find(|(g, _)| *g == f).map(|&(_, c)| c)
    }

    /// Maps the header automatically for `kind`.
    pub fn detect(kind: FileKind, header: &[String]) -> ColumnMapping {
        let norm: Vec<String> = header.iter().map(|h| normalise(h)).collect();
        let mut used = vec![false; header.len()];
        let mut columns = Vec::new();
        for &f in Field::for_kind(kind) {
            // Generic start and end dates are SA dates only beside an SA column (detected
            // before them).
            let generic = GENERIC_SA_DATES
                .iter()
                .filter(|_| {
                    kind == FileKind::LicenceStatement
                        && columns.iter().any(|&(g, _)| g == Field::SoftwareAssurance)
                })
                .filter(|(g, _)| *g == f)
                .flat_map(|(_, names)| names.iter());
            let seats: &[&str] = if kind == FileKind::LicenceStatement
                && f == Field::Quantity
                && is_subscriptions(header)
            {
                SUBSCRIPTION_SEATS
            } else {
                &[]
            };
            for syn in synonyms(kind, f).iter().chain(generic).chain(seats) {
                let syn = normalise(syn);
                if let Some(i) = norm
                    .iter()
                    .enumerate()
                    .position(|(i, h)| !used[i] && *h == syn)
                {
                    used[i] = true;
                    columns.push((f, i));
                    break;
                }
            }
        }
        ColumnMapping { columns }
    }
}

/// The columns of `header` other than `mapped` whose names are synonyms of `f` for `kind` and
/// that feed no field of `mapping`, best first: what could stand in for the column mapped to
/// `f` should it hold nothing.
pub fn other_candidates(
    kind: FileKind,
    f: Field,
    header: &[String],
    mapping: &ColumnMapping,
    mapped: usize,
) -> Vec<usize> {
    let norm: Vec<String> = header.iter().map(|h| normalise(h)).collect();
    let mut out = Vec::new();
    for syn in synonyms(kind, f) {
        for (i, h) in norm.iter().enumerate() {
            if h == syn
                && i != mapped
                && !out.contains(&i)
                && !mapping.columns.iter().any(|&(_, c)| c == i)
            {
                out.push(i);
            }
        }
    }
    out
}

/// A User Access Logging export of devices without users (`Get-UalDeviceAccess`,
/// `Get-UalDailyDeviceAccess`): an IP address and a role or product, no user column.
pub fn is_ual_device_access(header: &[String]) -> bool {
    let norm: Vec<String> = header.iter().map(|h| normalise(h)).collect();
    let has = |names: &[&str]| names.iter().any(|n| norm.iter().any(|h| h == n));
    has(&["ipaddress"])
        && has(&["roleguid", "rolename"])
        && !has(&["username", "user", "accountname", "userprincipalname"])
}

/// An Entra ID (Azure AD) sign-in log as the portal downloads it: request and correlation ids
/// beside the application signed in to.
pub fn is_cloud_sign_in_log(header: &[String]) -> bool {
    let norm: Vec<String> = header.iter().map(|h| normalise(h)).collect();
    let has = |names: &[&str]| names.iter().any(|n| norm.iter().any(|h| h == n));
    has(&["requestid"])
        && has(&["correlationid"])
        && has(&["application", "applicationid", "appdisplayname", "resource"])
}

/// What shows that an export whose columns look like Active Directory users' is a computers
/// export (`Get-ADComputer -Filter * | Export-Csv`): PowerShell's `#TYPE` line naming
/// `ADComputer` (`type_line` in lower case), or a DNSHostName column, which user objects do not
/// have. `None` when neither does (its rows may still: see the importer).
pub fn computer_export_sign(header: &[String], type_line: Option<&str>) -> Option<String> {
    if type_line.is_some_and(|t| t.trim_end().ends_with("adcomputer")) {
        return Some("its #TYPE line names ADComputer objects".into());
    }
    header
        .iter()
        .find(|h| normalise(h) == "dnshostname")
        .map(|h| {
            format!(
                "it has a {} column, which computers have and users do not",
                h.trim()
            )
        })
}

/// The units columns of a tenant's list of subscriptions, normalised: seats enabled, assigned,
/// suspended, in a grace period ([`is_subscriptions`]).
const SUBSCRIPTION_UNITS: &[&str] = &[
    "activeunits",
    "consumedunits",
    "prepaidunits",
    "prepaidunitsenabled",
    "enabledunits",
    "warningunits",
    "suspendedunits",
    "lockedoutunits",
    "enabled",
    "warning",
    "suspended",
    "purchased",
    "purchasedunits",
];

/// The assigned units' column of a tenant's list of subscriptions, normalised, best first.
pub const SUBSCRIPTION_ASSIGNED: &[&str] = &[
    "consumedunits",
    "assignedunits",
    "assignedlicenses",
    "assigned",
    "consumed",
];

/// The grace-period units' column of a tenant's list of subscriptions, normalised, best first.
pub const SUBSCRIPTION_GRACE: &[&str] = &["warningunits", "prepaidunitswarning", "warning"];

/// Whether a header is a tenant's list of its subscriptions (`Get-MsolAccountSku`,
/// `Get-MgSubscribedSku`, or a script's selection of them): a SKU part number and units, and no
/// user: a users export that lists each account's SKU part numbers has a user column.
pub fn is_subscriptions(header: &[String]) -> bool {
    let norm: Vec<String> = header.iter().map(|h| normalise(h)).collect();
    let has = |names: &[&str]| names.iter().any(|n| norm.iter().any(|h| h == n));
    has(&["skupartnumber", "accountskuid"])
        && has(SUBSCRIPTION_UNITS)
        && !has(&[
            "userprincipalname",
            "upn",
            "samaccountname",
            "mail",
            "username",
            "user",
            "userid",
        ])
}

/// Decides the kind of a file from its normalised header names.
pub fn detect_kind(header: &[String]) -> Option<FileKind> {
    let norm: Vec<String> = header.iter().map(|h| normalise(h)).collect();
    let has = |names: &[&str]| names.iter().any(|n| norm.iter().any(|h| h == n));
    if is_subscriptions(header) {
        return Some(FileKind::LicenceStatement);
    }
    if has(&[
        "quantity",
        "qty",
        "effectivequantity",
        "licensequantity",
        "totalquantity",
    ]) && has(&[
        "product",
        "productname",
        "productdescription",
        "description",
        "licensename",
        "licencename",
        "itemname",
        "partdescription",
        "productfamily",
        "sku",
    ]) {
        return Some(FileKind::LicenceStatement);
    }
    if has(&[
        "issuedto",
        "issuedtouser",
        "issuedtocomputer",
        "issuedtodevice",
    ]) {
        return Some(FileKind::RdsLicensing);
    }
    let user_ish = has(&[
        "givenname",
        "surname",
        "sn",
        "userprincipalname",
        "mail",
        "employeeid",
        "usertype",
        "displayname",
    ]);
    let os = has(&[
        "operatingsystem",
        "os",
        "osname",
        "operatingsystemnameandversion",
    ]);
    if has(&["samaccountname"])
        && !os
        && has(&[
            "enabled",
            "useraccountcontrol",
            "distinguishedname",
            "userprincipalname",
            "lastlogondate",
            "lastlogontimestamp",
            "dn",
        ])
    {
        return Some(FileKind::AdUsers);
    }
    // A printQueue export (Get-ADObject) has printers' own columns and no OS.
    let printers = has(&["drivername", "printername", "printsharename"]);
    if os || ((has(&["devicename", "dnshostname"]) || printers) && !user_ish) {
        return Some(FileKind::Devices);
    }
    if has(&["userprincipalname", "upn"])
        && has(&[
            "accountenabled",
            "usertype",
            "objectid",
            "id",
            "creationtype",
            "blocksignin",
            "directorysynced",
            "lastsignindatetime",
        ])
    {
        return Some(FileKind::EntraUsers);
    }
    let server = has(&[
        "server",
        "servername",
        "targetserver",
        "sessionhost",
        "pscomputername",
        "machinename",
        "computer",
        "host",
    ]);
    let user = has(&[
        "username",
        "targetusername",
        "user",
        "accountname",
        "userprincipalname",
        "samaccountname",
    ]);
    if server && user {
        return Some(FileKind::Usage);
    }
    if has(&["userprincipalname", "samaccountname"]) {
        return Some(FileKind::AdUsers);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn get_aduser_header_is_active_directory_users() {
        assert_eq!(
            detect_kind(&h(&[
                "AccountExpirationDate",
                "DistinguishedName",
                "Enabled",
                "SamAccountName",
                "UserPrincipalName"
            ])),
            Some(FileKind::AdUsers)
        );
    }

    #[test]
    fn entra_portal_header_is_entra_users() {
        assert_eq!(
            detect_kind(&h(&[
                "User principal name",
                "Display name",
                "User type",
                "Account enabled"
            ])),
            Some(FileKind::EntraUsers)
        );
    }

    #[test]
    fn get_adcomputer_header_is_devices() {
        assert_eq!(
            detect_kind(&h(&[
                "DistinguishedName",
                "DNSHostName",
                "Enabled",
                "Name",
                "OperatingSystem",
                "SamAccountName"
            ])),
            Some(FileKind::Devices)
        );
    }

    #[test]
    fn sam_account_name_synonyms_map_to_the_account_name() {
        let m = ColumnMapping::detect(
            FileKind::AdUsers,
            &h(&["x", "sAMAccountName", "User Principal Name"]),
        );
        assert_eq!(
            (m.get(Field::AccountName), m.get(Field::Upn)),
            (Some(1), Some(2))
        );
    }
}
