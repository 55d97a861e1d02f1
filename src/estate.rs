//! The estate: everything the organisation tells the calculator (people, devices, servers, who
//! accesses what, what it already owns). This is the versioned JSON exchange format shared by the
//! web app, the JavaScript API, the share link and the CLI; `docs/estate-format.md` documents it.
//!
//! Counts are `u32`; money is integer minor units (`i64`); dates are ISO `YYYY-MM-DD` strings
//! checked by [`Date`]. Older format versions are migrated in [`Estate::from_json`].

use serde::{Deserialize, Serialize};
use std::fmt;

/// The format version this build writes. Older versions are migrated on read.
pub const FORMAT_VERSION: u32 = 1;

/// A whole estate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Estate {
    /// Format version of this document; see [`FORMAT_VERSION`].
    #[serde(default = "format_version_default")]
    pub format_version: u32,
    /// A name for the estate, shown in reports.
    #[serde(default)]
    pub name: String,
    /// Free text: where the figures come from (used by the worked examples for their source).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// The date the count is as of (an Effective License Position's baseline): current versions,
    /// Software Assurance and the terms are judged at it. A date the caller gives (`--as-of`,
    /// the JavaScript API's `asOf`) wins over it; without either, today.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date>,
    #[serde(default)]
    pub organisation: Organisation,
    #[serde(default)]
    pub groups: Vec<Group>,
    #[serde(default)]
    pub shared_devices: Vec<SharedDevices>,
    #[serde(default)]
    pub servers: Vec<Server>,
    #[serde(default)]
    pub access: Vec<Access>,
    /// Exact usage links (person → device → server), usually produced by the import feature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
    #[serde(default)]
    pub holdings: Vec<Holding>,
}

fn format_version_default() -> u32 {
    FORMAT_VERSION
}

/// Organisation-wide settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// ISO 4217 code; reference prices are in USD, other currencies need the user's own prices.
    /// Read in capitals: `usd` is USD (UI review 39: a file with it was refused, with no repair).
    #[serde(default = "default_currency", deserialize_with = "currency_code")]
    pub currency: String,
    /// Prices that replace the reference prices, in minor units of `currency`.
    #[serde(default)]
    pub prices: Vec<PriceOverride>,
    /// Microsoft 365 E3/E5 seats owned; which groups hold them is said on each [`Group`].
    #[serde(default)]
    pub m365: M365,
    /// Where sources disagree, which reading to apply.
    #[serde(default)]
    pub readings: Readings,
}

impl Default for Organisation {
    fn default() -> Self {
        Organisation {
            currency: default_currency(),
            prices: Vec::new(),
            m365: M365::default(),
            readings: Readings::default(),
        }
    }
}

fn default_currency() -> String {
    "USD".to_string()
}

/// A price that replaces the reference price of one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceOverride {
    pub item: PriceItem,
    /// Minor units (cents) of the organisation's currency.
    pub amount_minor: i64,
}

/// Something that has a price: a CAL of a kind, a suite, an External Connector or a SQL core pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceItem {
    pub product: CalProduct,
    pub kind: LicenceKind,
}

/// Microsoft 365 seats and the channel they were bought through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct M365 {
    #[serde(default)]
    pub e3_seats: u32,
    #[serde(default)]
    pub e5_seats: u32,
    #[serde(default)]
    pub channel: PurchaseChannel,
    /// Not part of the file: when too few seats are owned for everyone flagged, how many each
    /// named group (by id) holds, seated in this order before the others, which share what is
    /// left in the rule of thumb's order. The engine sets it to price other choices of who holds
    /// the seats (the estate does not say).
    #[serde(skip)]
    pub seat_holders: Vec<(String, u64)>,
}

/// How Microsoft 365 was bought; CAL equivalency and Exchange SE extended use rights depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PurchaseChannel {
    /// Enterprise Agreement / EAS / SCE.
    #[default]
    EnterpriseAgreement,
    Mpsa,
    OpenValue,
    /// Cloud Solution Provider.
    Csp,
    /// Microsoft Customer Agreement (direct).
    Mca,
    /// Microsoft Online Subscription Agreement (web direct).
    Mosa,
}

crate::named::named_enum!(PurchaseChannel {
    EnterpriseAgreement => "enterprise-agreement",
    Mpsa => "mpsa",
    OpenValue => "open-value",
    Csp => "csp",
    Mca => "mca",
    Mosa => "mosa",
});

/// Readings chosen where sources disagree; defaults follow Microsoft's Product Terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Readings {
    #[serde(default)]
    pub external_connector_scope: ExternalConnectorScope,
    /// Whether Microsoft 365 E3/E5 seats bought through CSP/MCA/MOSA count as CAL equivalents.
    #[serde(default)]
    pub m365_equivalency: M365Equivalency,
    /// What licenses the Windows Server base of an external user who holds an RDS or AD RMS
    /// User CAL. Left out of saved estates and share links while it has its default, so that
    /// they read the same in earlier versions of the app.
    #[serde(default, skip_serializing_if = "ExternalAdditiveBase::is_default")]
    pub external_additive_base: ExternalAdditiveBase,
    /// Which on-premises CALs a Microsoft 365 E3 seat stands for. Left out of saved estates and
    /// share links while it has its default, as `external_additive_base` is.
    #[serde(default, skip_serializing_if = "M365E3Rights::is_default")]
    pub m365_e3_rights: M365E3Rights,
    /// Whether the Microsoft 365 E3/E5 rights of the people who print or scan with an unattended
    /// pool cover its devices as their CALs would. Left out of saved estates and share links
    /// while it has its default, as `external_additive_base` is.
    #[serde(default, skip_serializing_if = "M365Printers::is_default")]
    pub m365_printers: M365Printers,
    /// Whether an additive CAL's base must be held by the same user or device. Left out of saved
    /// estates and share links while it has its default, as `external_additive_base` is.
    #[serde(default, skip_serializing_if = "AdditiveBase::is_default")]
    pub additive_base: AdditiveBase,
    /// Whether network equipment that authenticates to servers (an unattended pool marked
    /// `network`) needs Device CALs. Left out of saved estates and share links while it has its
    /// default, as `external_additive_base` is.
    #[serde(default, skip_serializing_if = "NetworkEquipment::is_default")]
    pub network_equipment: NetworkEquipment,
}

/// Managed switches, wireless access points and firewalls that authenticate to Active Directory
/// (802.1X through NPS, LDAP look-ups) reach Windows Server with no person at them. Whether they
/// need Device CALs "is debated" (the domain reference's §4.2 item 8): the Product Terms ask a CAL
/// for each device that accesses the server software; the other view is that such equipment
/// only passes on the access of users and devices that hold their own CALs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum NetworkEquipment {
    /// The Product Terms read literally, the reading that cannot fall short: Device CALs for
    /// what the equipment reaches, as for any unattended device.
    #[default]
    DeviceCals,
    /// The equipment passes on others' access and needs no CAL of its own.
    NotCounted,
}

impl NetworkEquipment {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

crate::named::named_enum!(NetworkEquipment {
    DeviceCals => "device-cals",
    NotCounted => "not-counted",
});

/// An additive CAL (RDS, AD RMS, the Enterprise CALs) is needed "in addition to the Base CAL"
/// (the domain reference's §1.11). Microsoft's guidance does not say whether the two must be
/// held by the same subject: whether a user's base CAL and a device's additive CAL combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AdditiveBase {
    /// The reading that cannot fall short: the base CAL of the same kind for the same user or
    /// device (a device's RDS Device CAL needs a Windows Server Device CAL on that device).
    #[default]
    SameSubject,
    /// The base may be held by the other subject: a user's base CAL beneath a device's additive
    /// CAL and the reverse, so that each access to the base product needs only to be licensed.
    /// An additive External Connector still needs the base product's on its host.
    EitherSubject,
}

impl AdditiveBase {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

crate::named::named_enum!(AdditiveBase {
    SameSubject => "same-subject",
    EitherSubject => "either-subject",
});

/// A networked printer or scanner needs a Device CAL "unless covered by the CALs of the users who
/// use them" (the domain reference's §1.8 item 8). Microsoft's Product Terms make E3/E5 "CAL
/// equivalent licenses" (the user is licensed as with a User CAL); practitioners' guidance (§1.13)
/// says the equivalency is per user and leaves shared devices, printers among them, to Device
/// CALs. Sources disagree whether Microsoft 365 users' rights cover the printers they use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum M365Printers {
    /// The Product Terms reading: a Microsoft 365 seat licenses its user as a User CAL would, so
    /// the printers and scanners that person uses are covered as by a User CAL.
    #[default]
    CoveredByUsers,
    /// Practitioners' reading: Microsoft 365 rights cover no shared device; a pool is covered only
    /// where every person who uses it holds a CAL of their own for the product, else Device CALs.
    DeviceCals,
}

impl M365Printers {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

crate::named::named_enum!(M365Printers {
    CoveredByUsers => "covered-by-users",
    DeviceCals => "device-cals",
});

/// Microsoft's texts give the Exchange and SharePoint Online "Plan 2" services of E3 their
/// servers' Standard and Enterprise CAL rights; a shorthand SAM practitioners use (the domain
/// reference's §1.13) reads E3 as the Core CAL Suite, without the Enterprise CALs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum M365E3Rights {
    /// Microsoft's reading: the Core CAL Suite's CALs plus the Exchange and SharePoint Enterprise
    /// CALs (not the AD RMS or Skype for Business Enterprise CAL).
    #[default]
    StandardAndEnterprise,
    /// The practitioners' shorthand: the Core CAL Suite's CALs only.
    CoreCalSuite,
}

impl M365E3Rights {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

crate::named::named_enum!(M365E3Rights {
    StandardAndEnterprise => "standard-and-enterprise",
    CoreCalSuite => "core-cal-suite",
});

/// An external user with an additive User CAL (RDS, AD RMS) also needs the base, Windows Server:
/// sources do not say whether the Windows Server External Connector of the host they reach may
/// be that base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ExternalAdditiveBase {
    /// The base/additive rule read literally: a Windows Server User CAL for the same person.
    #[default]
    BaseCal,
    /// An External Connector is an alternative to CALs for external users: the host's Windows
    /// Server External Connector licenses their base access there.
    ExternalConnector,
}

impl ExternalAdditiveBase {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

crate::named::named_enum!(ExternalAdditiveBase {
    BaseCal => "base-cal",
    ExternalConnector => "external-connector",
});

/// Whether one External Connector covers a physical host with all its VMs, or one is needed per VM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ExternalConnectorScope {
    /// Product Terms: an EC is assigned to a licensed (physical) server and covers all its OSEs.
    #[default]
    PerPhysicalHost,
    /// Conservative reading from a community answer: one EC per VM (OSE).
    PerVm,
}

crate::named::named_enum!(ExternalConnectorScope {
    PerPhysicalHost => "per-physical-host",
    PerVm => "per-vm",
});

/// Which purchase channels give Microsoft 365 E3/E5 CAL equivalency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum M365Equivalency {
    /// The Product Terms table applies to every channel (Microsoft's general CAL equivalency text).
    #[default]
    AllChannels,
    /// Community reading: only volume-licensing channels (EA/EAS, MPSA, Open Value) carry the rights.
    VolumeLicensingOnly,
}

crate::named::named_enum!(M365Equivalency {
    AllChannels => "all-channels",
    VolumeLicensingOnly => "volume-licensing-only",
});

/// A group of people alike for licensing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Unique id, referred to by shared devices, access rows and usage.
    pub id: String,
    #[serde(default)]
    pub name: String,
    /// Number of physical people (not accounts).
    pub count: u32,
    #[serde(default)]
    pub kind: PersonKind,
    /// Devices each person uses on their own (laptop, phone, …).
    #[serde(default = "one")]
    pub devices_each: u32,
    /// These people access servers only to administer them (up to two per product are exempt).
    #[serde(default)]
    pub admin_only: bool,
    /// The Microsoft 365 plan every member holds, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub m365: Option<M365Plan>,
}

fn one() -> u32 {
    1
}

/// Who a person is to the organisation; decides internal versus external.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PersonKind {
    #[default]
    Employee,
    OnsiteContractor,
    OffsiteContractor,
    Partner,
    Customer,
    /// Unauthenticated internet visitor: needs no CAL.
    AnonymousVisitor,
}

crate::named::named_enum!(PersonKind {
    Employee => "employee",
    OnsiteContractor => "onsite-contractor",
    OffsiteContractor => "offsite-contractor",
    Partner => "partner",
    Customer => "customer",
    AnonymousVisitor => "anonymous-visitor",
});

impl PersonKind {
    /// External users per the Product Terms: not employees and not onsite contractors or agents.
    pub fn is_external(self) -> bool {
        matches!(
            self,
            PersonKind::OffsiteContractor
                | PersonKind::Partner
                | PersonKind::Customer
                | PersonKind::AnonymousVisitor
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum M365Plan {
    E3,
    E5,
}

crate::named::named_enum!(M365Plan {
    E3 => "e3",
    E5 => "e5",
});

/// Devices shared by several people (call-centre desks, kiosks, shop-floor terminals, printers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharedDevices {
    pub id: String,
    #[serde(default)]
    pub name: String,
    pub count: u32,
    /// Groups whose members use these devices.
    #[serde(default)]
    pub shared_by: Vec<String>,
    /// Devices that reach servers with no person at them (printers, sensors): Device CALs only.
    #[serde(default)]
    pub unattended: bool,
    /// For unattended devices: the servers they access.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accesses: Vec<String>,
    /// For unattended devices: network equipment (switches, access points, firewalls) that
    /// authenticates to the servers in `accesses`; the `network_equipment` reading decides
    /// whether it needs Device CALs.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub network: bool,
}

/// One operating-system environment (physical or virtual) running a server product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Server {
    pub id: String,
    #[serde(default)]
    pub name: String,
    pub product: ServerProduct,
    #[serde(default)]
    pub edition: Edition,
    /// Version as sold: "2012 R2", "2019", "2022", "SE" (Subscription Edition).
    pub version: String,
    /// For a product other than Windows Server: the Windows Server version it runs on, if Windows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub windows_version: Option<String>,
    /// The physical host (or hardware partition/blade) it runs on; defaults to the server itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(default)]
    pub vm: bool,
    /// Cores of the OSE (for SQL Server per-core comparison).
    #[serde(default)]
    pub cores: u32,
    /// SQL Server only: Server+CAL or per-core licensing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql_licensing: Option<SqlLicensing>,
    #[serde(default)]
    pub rds_session_host: bool,
    /// RDS licensing mode of this session host; `None` lets the optimiser choose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rds_mode: Option<RdsMode>,
    /// Version of the RD Licensing server that issues this host's RDS CALs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rd_licensing_server_version: Option<String>,
    /// Windows Server 2025 pay-as-you-go through Azure Arc: no WS CALs, RDS CALs still.
    #[serde(default)]
    pub pay_as_you_go: bool,
    /// Only unauthenticated internet access (public web site): no CALs.
    #[serde(default)]
    pub anonymous_only: bool,
    /// Physical OSE used only to run and manage virtual machines: no CALs for it.
    #[serde(default)]
    pub virtualization_only: bool,
    /// Runs Active Directory Rights Management Services.
    #[serde(default)]
    pub ad_rms: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ServerProduct {
    WindowsServer,
    SqlServer,
    Exchange,
    SharePoint,
    SkypeForBusiness,
}

crate::named::named_enum!(ServerProduct {
    WindowsServer => "windows-server",
    SqlServer => "sql-server",
    Exchange => "exchange",
    SharePoint => "share-point",
    SkypeForBusiness => "skype-for-business",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Edition {
    #[default]
    Standard,
    Datacenter,
    Essentials,
    Enterprise,
}

crate::named::named_enum!(Edition {
    Standard => "standard",
    Datacenter => "datacenter",
    Essentials => "essentials",
    Enterprise => "enterprise",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SqlLicensing {
    ServerCal,
    PerCore,
}

crate::named::named_enum!(SqlLicensing {
    ServerCal => "server-cal",
    PerCore => "per-core",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RdsMode {
    PerUser,
    PerDevice,
}

crate::named::named_enum!(RdsMode {
    PerUser => "per-user",
    PerDevice => "per-device",
});

/// Which groups use which servers, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Access {
    pub groups: Vec<String>,
    pub servers: Vec<String>,
    /// A front end (web app, middleware) between the people and the server. Multiplexing does not
    /// reduce the count: it is recorded for the explanation only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// Recipients only get manually transferred output (printed or hand-e-mailed reports): no CAL.
    #[serde(default)]
    pub manual_transfer_only: bool,
    #[serde(default)]
    pub features: Vec<Feature>,
}

/// Functionality that needs an additive CAL on top of the base CAL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Feature {
    /// Remote Desktop sessions on an RD Session Host: RDS CAL.
    RemoteDesktop,
    /// Rights-protected content: AD RMS CAL.
    AdRms,
    /// Exchange in-place archiving, holds, DLP: Exchange Enterprise CAL.
    ExchangeEnterprise,
    /// SharePoint Enterprise features (BI, Excel/Visio services): SharePoint Enterprise CAL.
    SharePointEnterprise,
    /// Skype for Business conferencing/enterprise voice: Skype Enterprise CAL.
    SkypeEnterprise,
}

crate::named::named_enum!(Feature {
    RemoteDesktop => "remote-desktop",
    AdRms => "ad-rms",
    ExchangeEnterprise => "exchange-enterprise",
    SharePointEnterprise => "share-point-enterprise",
    SkypeEnterprise => "skype-enterprise",
});

/// Exact usage: who used which device to reach which server (from imported logs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Usage {
    pub people: Vec<Person>,
    pub devices: Vec<Device>,
    pub links: Vec<Link>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub id: String,
    /// The group giving this person's kind (employee, partner, …); the group's count is then the
    /// number of its people listed here plus any not listed.
    pub group: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Device {
    pub id: String,
    #[serde(default)]
    pub unattended: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// Empty for an unattended device.
    #[serde(default)]
    pub person: String,
    pub device: String,
    pub server: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<Feature>,
}

/// Licences the organisation already owns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holding {
    pub product: CalProduct,
    pub kind: LicenceKind,
    /// CAL version ("2019", "2012" …); empty for version-less suites.
    #[serde(default)]
    pub version: String,
    pub quantity: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software_assurance: Option<SoftwareAssurance>,
    /// For an External Connector: the physical host it is assigned to, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SoftwareAssurance {
    pub since: Date,
    /// End of coverage; `None` while active.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
}

/// Read with its dates as text, so that a wrong one is named by its field: a holding's software
/// assurance is read whole before its fields, and the error's place is the object's (API review
/// 39: "software_assurance: `2027-02-30` is not a date in the form YYYY-MM-DD" for `until`).
impl<'de> Deserialize<'de> for SoftwareAssurance {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            since: String,
            #[serde(default)]
            until: Option<String>,
        }
        let raw = Raw::deserialize(d)?;
        let date = |field: &str, s: &str| {
            Date::parse(s).ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "software_assurance.{field}: {}",
                    Date::problem(s)
                ))
            })
        };
        Ok(SoftwareAssurance {
            since: date("since", &raw.since)?,
            until: raw.until.as_deref().map(|u| date("until", u)).transpose()?,
        })
    }
}

/// A CAL product (what a CAL, External Connector or suite licenses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CalProduct {
    WindowsServer,
    Rds,
    AdRms,
    SqlServer,
    ExchangeStandard,
    ExchangeEnterprise,
    SharePointStandard,
    SharePointEnterprise,
    SkypeStandard,
    SkypeEnterprise,
    CoreCalSuite,
    EnterpriseCalSuite,
}

crate::named::named_enum!(CalProduct {
    WindowsServer => "windows-server",
    Rds => "rds",
    AdRms => "ad-rms",
    SqlServer => "sql-server",
    ExchangeStandard => "exchange-standard",
    ExchangeEnterprise => "exchange-enterprise",
    SharePointStandard => "share-point-standard",
    SharePointEnterprise => "share-point-enterprise",
    SkypeStandard => "skype-standard",
    SkypeEnterprise => "skype-enterprise",
    CoreCalSuite => "core-cal-suite",
    EnterpriseCalSuite => "enterprise-cal-suite",
});

/// The kind of licence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LicenceKind {
    UserCal,
    DeviceCal,
    ExternalConnector,
    /// A SQL Server 2-core pack (per-core licensing), for the break-even only.
    CorePack2,
    /// A SQL Server Standard server licence (Server+CAL), for the break-even only.
    ServerLicence,
}

crate::named::named_enum!(LicenceKind {
    UserCal => "user-cal",
    DeviceCal => "device-cal",
    ExternalConnector => "external-connector",
    CorePack2 => "core-pack2",
    ServerLicence => "server-licence",
});

/// A calendar date, written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (day >= 1 && day <= days).then_some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let y = s.get(0..4)?.parse().ok()?;
        let m = s.get(5..7)?.parse().ok()?;
        let d = s.get(8..10)?.parse().ok()?;
        Date::new(y, m, d)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A currency code of three letters in capitals, whatever case it was written in; anything else
/// as it was, for validation to name.
fn currency_code<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let mut code = String::deserialize(d)?;
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_alphabetic()) {
        code.make_ascii_uppercase();
    }
    Ok(code)
}

impl Date {
    /// Why `s` is not a date: a day the calendar does not have (`2027-02-30`), or not the form.
    fn problem(s: &str) -> String {
        let b = s.as_bytes();
        let form = b.len() == 10
            && b.iter().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if form {
            format!("`{s}` is not a day of the calendar")
        } else {
            format!("`{s}` is not a date in the form YYYY-MM-DD")
        }
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).ok_or_else(|| serde::de::Error::custom(Date::problem(&s)))
    }
}

// Reading (with migration of older format versions) and validation live in `estate/format.rs`.
mod format;
#[cfg(all(target_arch = "wasm32", feature = "app"))]
pub(crate) use format::feature_applies;
pub use format::{
    from_json_text, locate, max_price_major, EstateError, MAX_CORES, MAX_COUNT, MAX_DEVICES_EACH,
    MAX_PRICE,
};

/// An estate file's bytes as text, read the same way by every face (the CLI, the app's “Import
/// estate (JSON)”): UTF-8, its byte-order mark ignored, or UTF-16 with a byte-order mark (as
/// Windows tools write it). Anything else is refused with why, never read with replacement
/// characters in place of what it holds (a Windows-1252 “Büro München” was opened by the app
/// with its letters lost, and refused by the CLI). The message starts in lower case, for the
/// caller to put after the file's name.
pub fn file_text(bytes: &[u8]) -> Result<String, String> {
    const AS_UTF8: &str = "save the estate as UTF-8 JSON";
    if let Some(big_endian) = match bytes {
        [0xFF, 0xFE, ..] => Some(false),
        [0xFE, 0xFF, ..] => Some(true),
        _ => None,
    } {
        let body = bytes.get(2..).unwrap_or_default();
        if body.len() % 2 != 0 {
            return Err(format!(
                "UTF-16 text (it starts with a UTF-16 byte-order mark) with an odd number of bytes: the file is cut short or damaged; {AS_UTF8}"
            ));
        }
        let units = body.chunks_exact(2).map(|p| {
            let pair: [u8; 2] = p.try_into().unwrap_or_default();
            if big_endian {
                u16::from_be_bytes(pair)
            } else {
                u16::from_le_bytes(pair)
            }
        });
        let mut text = String::with_capacity(body.len() / 2);
        // Code units read so far, to say where an unpaired surrogate is.
        let mut read = 0;
        for c in char::decode_utf16(units) {
            let Ok(c) = c else {
                return Err(format!(
                    "not UTF-16 text (byte {}) though it starts with a UTF-16 byte-order mark; {AS_UTF8}",
                    2 + 2 * read
                ));
            };
            read += c.len_utf16();
            text.push(c);
        }
        return Ok(text);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // UTF-16 without a byte-order mark is valid UTF-8 (ASCII letters between NUL bytes), and
    // the JSON reader then said "each name must be in double quotes": JSON text never holds a
    // NUL byte, so one among the first bytes says what the file is instead.
    if let Some(i) = bytes.iter().take(NUL_SCAN).position(|&b| b == 0) {
        let before = bytes.get(..i).unwrap_or_default();
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = i - before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |n| n + 1)
            + 1;
        return Err(format!(
            "line {line}, column {column}: a NUL byte, which JSON text never holds: the file is UTF-16 (saved without a byte-order mark) or not text; {AS_UTF8}"
        ));
    }
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        format!(
            "not UTF-8 text (byte {}); {AS_UTF8}",
            e.utf8_error().valid_up_to()
        )
    })
}

/// How many of an estate file's first bytes are looked at for a NUL byte (UTF-16 has one in
/// every second byte of its ASCII text).
const NUL_SCAN: usize = 1024;

/// The most group–server pairs the access rules may link: evaluation time grows with them (about
/// 0.4 s natively and 4 s in the browser for 400,000), and a file or link of a few kilobytes could
/// otherwise ask for tens of millions and never finish (hostile-input review 23: 20,000 groups ×
/// 500 servers hung the tab).
pub const MAX_ACCESS_PAIRS: u64 = 500_000;

impl Estate {
    /// Why the estate is too large to evaluate, if it is: the group–server pairs its access rules
    /// link, counted with repeats, beyond [`MAX_ACCESS_PAIRS`].
    pub fn size_problem(&self) -> Option<String> {
        let pairs: u64 = (self.access.iter())
            .map(|a| (a.groups.len() as u64).saturating_mul(a.servers.len() as u64))
            .fold(0u64, u64::saturating_add);
        (pairs > MAX_ACCESS_PAIRS).then(|| {
            format!(
                "the access rules link {} group–server pairs (each group once for each server its rule names); the calculator evaluates up to {} (for example 1,000 groups each reaching 500 servers): merge groups whose people reach the same servers, or split the estate",
                crate::position::thousands(pairs),
                crate::position::thousands(MAX_ACCESS_PAIRS)
            )
        })
    }

    /// A group's name as the user sees it: its name, or its id when it has none (or is unknown).
    pub fn group_name(&self, id: &str) -> String {
        self.groups
            .iter()
            .find(|g| g.id == id)
            .map_or_else(|| id.to_string(), |g| g.shown_name().to_string())
    }

    /// A server's name as the user sees it: its name, or its id. Also names the physical hosts
    /// that External Connectors go on, which are server ids or the `host` text as entered.
    pub fn server_name(&self, id: &str) -> String {
        self.servers
            .iter()
            .find(|s| s.id == id)
            .map_or_else(|| id.to_string(), |s| s.shown_name().to_string())
    }

    /// The servers' names by id, for naming many of them (see [`ServerNames`]).
    pub fn server_names(&self) -> ServerNames<'_> {
        ServerNames::new(&self.servers)
    }
}

/// Servers named by id through one sorted index. [`Estate::server_name`] reads the server list
/// for each id, so naming every server of a large estate that way was quadratic (10,000 servers:
/// a seventh of the evaluation). The index is built when a name is first asked of an estate of
/// more than [`ServerNames::SEARCHED`] servers; a smaller one is searched, as cheaply.
pub struct ServerNames<'a> {
    servers: &'a [Server],
    /// The servers' positions by id ([`crate::sort::key_index`]).
    by_id: std::cell::OnceCell<Vec<(&'a str, usize)>>,
}

impl<'a> ServerNames<'a> {
    /// Up to this many servers, a name is found by reading the list.
    pub const SEARCHED: usize = 16;

    pub fn new(servers: &'a [Server]) -> Self {
        ServerNames {
            servers,
            by_id: std::cell::OnceCell::new(),
        }
    }

    /// As [`Estate::server_name`]: the shown name of the first server with the id, or the id.
    pub fn name(&self, id: &str) -> String {
        let found = if self.servers.len() <= Self::SEARCHED {
            self.servers.iter().find(|s| s.id == id)
        } else {
            let by_id = self.by_id.get_or_init(|| {
                crate::sort::key_index(
                    self.servers
                        .iter()
                        .enumerate()
                        .map(|(i, s)| (s.id.as_str(), i))
                        .collect(),
                )
            });
            crate::sort::run_of(by_id, id)
                .first()
                .map(|&(_, i)| &self.servers[i])
        };
        found.map_or_else(|| id.to_string(), |s| s.shown_name().to_string())
    }
}

/// A name as the user sees it: the name given, or the id when there is none.
fn shown<'a>(id: &'a str, name: &'a str) -> &'a str {
    if name.is_empty() {
        id
    } else {
        name
    }
}

impl Server {
    /// Its name as the user sees it: its name, or its id when it has none.
    pub fn shown_name(&self) -> &str {
        shown(&self.id, &self.name)
    }
}

impl Group {
    /// Its name as the user sees it: its name, or its id when it has none.
    pub fn shown_name(&self) -> &str {
        shown(&self.id, &self.name)
    }
}

impl SharedDevices {
    /// Its name as the user sees it: its name, or its id when it has none.
    pub fn shown_name(&self) -> &str {
        shown(&self.id, &self.name)
    }
}
