/**
 * Types of the CAL calculator's JavaScript API (src/api.rs). The estate is the JSON exchange format
 * documented in docs/estate-format.md; the report is exactly the CLI's `--format json` output.
 * Money is integer minor units of `currency` (ISO 4217: cents for USD, whole yen for JPY; `minorDigits(currency)`
 * gives the digits, which Intl.NumberFormat's defaults are not for every currency). Fields may be added, never renamed.
 */
/** A calendar date as text, `YYYY-MM-DD`. Not named `Date`: that hid JavaScript's `Date` in these declarations. */
export type IsoDate = string;

export type CalProduct =
  | "windows-server" | "rds" | "ad-rms" | "sql-server"
  | "exchange-standard" | "exchange-enterprise"
  | "share-point-standard" | "share-point-enterprise"
  | "skype-standard" | "skype-enterprise"
  | "core-cal-suite" | "enterprise-cal-suite";
export type LicenceKind = "user-cal" | "device-cal" | "external-connector" | "core-pack2" | "server-licence";
export type PersonKind =
  | "employee" | "onsite-contractor" | "offsite-contractor" | "partner" | "customer" | "anonymous-visitor";
export type ServerProduct = "windows-server" | "sql-server" | "exchange" | "share-point" | "skype-for-business";
export type Feature = "remote-desktop" | "ad-rms" | "exchange-enterprise" | "share-point-enterprise" | "skype-enterprise";
export type RdsMode = "per-user" | "per-device";
/** What a finding is about: a stable name to switch on (docs/engine.md describes each). */
export type FindingKind =
  | "additive-without-base" | "admin-exemption-overused" | "anonymous-only-reached"
  | "cal-type-mismatch" | "devices-assumed" | "ec-assigned-elsewhere" | "ec-idle-on-its-host"
  | "essentials-cap-exceeded" | "m365-seats-short" | "manual-transfer"
  | "missing-external-connector" | "multiplexing" | "prices-missing" | "rds-ec-without-ws-ec"
  | "rds-licensing-server-older" | "rds-mode-switch-saves" | "sa-not-started" | "sa-relied-on" | "se-purchase-needs-sa"
  | "se-sa-ended" | "se-sa-ends" | "se-without-sa-dates" | "shared-devices-unused" | "shortfall"
  | "skype-se-sa-unchecked" | "sources-disagree" | "sql-anonymous-server-cal" | "sql-cores-unknown"
  | "sql-per-core-cheaper" | "suite-rights-frozen" | "suite-split" | "suite-without-sa-dates"
  | "unattended-users-unnamed" | "version-gap" | "version-not-released"
  | "virtualisation-only-reached" | "windows-version-missing";
/** Which two options a break-even weighs. */
export type BreakEvenKind = "ec-vs-cal" | "user-vs-device" | "sql-per-core-vs-server-cal";

export interface Estate {
  format_version?: number;
  name?: string;
  note?: string;
  /** YYYY-MM-DD: the date the count is as of; `evaluate`'s own `asOf` wins over it, and without either it is today. */
  as_of?: IsoDate;
  organisation?: {
    currency?: string;
    prices?: { item: { product: CalProduct; kind: LicenceKind }; amount_minor: number }[];
    m365?: { e3_seats?: number; e5_seats?: number; channel?: "enterprise-agreement" | "mpsa" | "open-value" | "csp" | "mca" | "mosa" };
    readings?: Partial<Readings>;
  };
  groups?: {
    id: string; name?: string; count: number; kind?: PersonKind; devices_each?: number;
    admin_only?: boolean; m365?: "e3" | "e5";
  }[];
  shared_devices?: {
    id: string; name?: string; count: number; shared_by?: string[]; unattended?: boolean; accesses?: string[]; network?: boolean;
  }[];
  servers?: {
    id: string; name?: string; product: ServerProduct;
    edition?: "standard" | "datacenter" | "essentials" | "enterprise";
    version: string; windows_version?: string; host?: string; vm?: boolean; cores?: number;
    sql_licensing?: "server-cal" | "per-core"; rds_session_host?: boolean; rds_mode?: RdsMode;
    rd_licensing_server_version?: string; pay_as_you_go?: boolean; anonymous_only?: boolean;
    virtualization_only?: boolean; ad_rms?: boolean;
  }[];
  access?: { groups: string[]; servers: string[]; via?: string; manual_transfer_only?: boolean; features?: Feature[] }[];
  usage?: {
    people: { id: string; group: string }[];
    devices: { id: string; unattended?: boolean }[];
    links: { person?: string; device: string; server: string; features?: Feature[] }[];
  };
  holdings?: {
    product: CalProduct; kind: LicenceKind; version?: string; quantity: number;
    software_assurance?: { since: IsoDate; until?: IsoDate }; assigned_to?: string;
  }[];
}

/** Why a figure is what it is: the rules that decide it and the arithmetic in words. */
export interface Explanation { rules: string[]; text: string }
export interface Count { value: number; why: Explanation }

/** Where sources disagree: the reading applied (an estate gives any of them; a report all). */
export interface Readings {
  external_connector_scope: "per-physical-host" | "per-vm";
  m365_equivalency: "all-channels" | "volume-licensing-only";
  external_additive_base?: "base-cal" | "external-connector";
  m365_e3_rights?: "standard-and-enterprise" | "core-cal-suite";
  m365_printers?: "covered-by-users" | "device-cals";
  additive_base?: "same-subject" | "either-subject";
  network_equipment?: "device-cals" | "not-counted";
}

export interface Report {
  format_version: number;
  estate_name: string;
  as_of: IsoDate;
  currency: string;
  prices_note: string;
  products: {
    product: CalProduct; label: string; required_version: string;
    people: Count; external_people: Count; devices: Count; exempt: Count;
    user_cals: Count; device_cals: Count; external_connectors: Count;
    /** CAL Suite licences the licensing buys that cover this product (value 0 when none); the
     * holders of owned suites count among `user_cals` and `device_cals`, their why says so. */
    suite_licences: Count;
    /** Server (or physical host) ids; `server_names` gives their names. */
    external_connector_hosts: string[]; rds_modes?: [string, RdsMode][]; cost_minor: number;
  }[];
  recommendation: {
    lines: { product: CalProduct; kind: LicenceKind; version: string; quantity: number; unit_minor: number; cost_minor: number; why: Explanation; price_missing: boolean }[];
    total_minor: number; exact: boolean; gap_minor: number; why: Explanation;
  };
  /** total_minor is -1 when the scenario is not possible (the reason is in `why`); with
   *  price_missing, it leaves out what has no price, so the cost is unknown. */
  scenarios: { id: string; label: string; total_minor: number; why: Explanation; price_missing: boolean }[];
  /** Each row adds up: needed = covered + shortfall (a newer owned CAL may cover an older
   *  need), owned = used + surplus (the row's own licences in use, for its version or older). */
  position: {
    product: CalProduct; kind: LicenceKind; version: string; needed: number; covered: number; owned: number; used: number;
    surplus: number; shortfall: number; unit_minor: number; cost_to_close_minor: number; why: Explanation;
    /** No price known: unit and cost are 0 (the cost to close is unknown where shortfall > 0). */ price_missing: boolean;
    /** Where the unit price comes from: the organisation's own, a reference estimate (the
     *  catalogue's `derived` ones included) or none. */ price_origin?: "own" | "reference" | "missing";
    /** Of `surplus`, the CALs counted from owned CAL Suites, which go with their suite (absent
     *  when none). */ surplus_in_suites?: number;
  }[];
  /** Microsoft 365 E3/E5 seats in the position, one row per plan owned or flagged (absent when
   *  none is): flagged = seated + unseated (those counted for CALs instead, on the rows above);
   *  unused = seats owned beyond the people flagged. `stated` false: no seat count was given and
   *  `owned` is the people flagged. `withheld`: the purchase-channel reading gives the seats no
   *  CAL rights (seated 0). `covers`: the CALs a seat stands for under the E3 reading. */
  seats?: {
    plan: "e3" | "e5"; owned: number; stated: boolean; flagged: number; seated: number; unseated: number;
    unused: number; withheld: boolean; covers: CalProduct[]; why: Explanation;
  }[];
  findings: {
    kind: FindingKind; severity: "info" | "warning" | "critical"; rule: string; message: string; source: string;
    product?: CalProduct;
    /** What the change the finding names (a SQL Server per core, an RDS host's mode) would take off the purchase. */
    saving_minor?: number;
    /** What the saving leaves out, e.g. the Software Assurance a VM's core licences need. */
    saving_condition?: string;
  }[];
  /** threshold is 9007199254740991 (Number.MAX_SAFE_INTEGER) when option B never becomes cheaper. */
  breakevens: {
    /** subject: by id (hosts listed with ", "); subject_name: the same by the names given. */
    kind: BreakEvenKind; subject: string; subject_name: string; product: CalProduct; threshold: number; current: number;
    option_a: string; option_a_minor: number; option_b: string; option_b_minor: number;
    curve: [number, number, number][]; why: Explanation;
    /** What the chart alone would misread, shown beside it; absent when there is nothing. */
    note?: string;
  }[];
  rules: { id: string; sentence: string; source: string; confidence: string }[];
  /** The name of each server that has one, by id (absent when none has). */
  server_names?: { [id: string]: string };
  /** How External Connectors are counted: per physical host, or per VM under that reading. */
  external_connector_scope?: "per-physical-host" | "per-vm";
  /** The readings applied where sources disagree (those left at their default may be absent). */
  readings: Readings;
}

export type Family = "windows-server" | "sql-server" | "exchange" | "share-point" | "skype";

/** A reference price: an editable estimate from public pages, not Microsoft's price list. */
export interface ReferencePrice {
  item: { product: CalProduct; kind: LicenceKind };
  /** USD cents; null where no public figure was found (enter your own). */
  amount_minor: number | null;
  currency: string;
  /** When the figure was published; of a derived one, the date of the material it was checked against. */
  date: string;
  source: string;
  /** No published price was found: the figure is an estimate derived from other sources. */
  derived: boolean;
}

/** What the calculator knows, as `catalog()` returns it. */
export interface Catalog {
  products: {
    product: CalProduct; label: string; family: Family | null; base: CalProduct | null;
    external_connector: boolean; external_users_need_cal: boolean;
  }[];
  versions: {
    family: Family; name: string;
    server_versions: { name: string; cal_version: string; rank: number }[];
    cal_versions: { name: string; rank: number; released: IsoDate }[];
  }[];
  suites: { suite: CalProduct; contents: CalProduct[] }[];
  prices: ReferencePrice[];
  rules: { id: string; sentence: string; source: string; confidence: string }[];
}
