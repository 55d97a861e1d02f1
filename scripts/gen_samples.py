#!/usr/bin/env python3
"""Writes the synthetic sample exports in www/samples/ (deterministic; Python standard library only).

Every account, device and licence is invented. The files copy the quirks of the real tools:
  ad-users.csv          Get-ADUser -Properties * | Export-Csv (PowerShell 5): UTF-16 LE with BOM,
                        a #TYPE line, every field quoted, CRLF, True/False, US dates, FileTime values
  entra-users.csv       Entra ID portal download re-saved by European Excel: UTF-8 with BOM, ';',
                        dd/MM/yyyy dates, #EXT# guests
  computers-ad.csv      Get-ADComputer | Export-Csv (PowerShell 7): UTF-8, servers and workstations
  devices-intune.csv    Intune device export: primary users, printers, a stale device
  ual-user-access.csv   Get-UalUserAccess from three servers (no client device; PSComputerName)
  logon-events.tsv      4624 logon events, tab-separated, LogonType 10 = Remote Desktop
  rds-per-user.csv      RD Licensing per-user CAL report
  licence-statement.csv licence summary with part-number descriptions, a server licence (ignored)
                        and one unreadable quantity (reported with its line)
  m365-active-users.csv Microsoft 365 admin centre "Active users" export: UTF-8 with BOM, US dates,
                        "Block credential", the licences assigned joined by "+" (no last sign-in)
  m365-subscriptions.csv Get-MsolAccountSku | Export-Csv -NoTypeInformation: the same tenant's
                        subscriptions, every field quoted, CRLF, .NET type names in the list columns

The expected funnel counts are asserted in tests/engine/import.rs with "today" = 2025-06-30.
Run: python3 scripts/gen_samples.py [output-dir]
"""
import datetime as dt
import os
import sys

TODAY = dt.date(2025, 6, 30)
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "www", "samples")

FIRST = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
         "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
         "Chris", "Lisa", "Daniel", "Nancy", "Matthew", "Betty", "Anthony", "Sandra", "Mark", "Ashley",
         "Paul", "Emily", "Steven", "Donna", "Andrew", "Michelle", "Kenneth", "Carol", "Joshua", "Amanda",
         "Kevin", "Melissa", "Brian", "Deborah", "George", "Stephanie", "Timothy", "Rebecca", "Ronald", "Laura"]
LAST = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
        "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke"]

EPOCH_1601 = dt.datetime(1601, 1, 1)


def filetime(d):
    return str(int((dt.datetime(d.year, d.month, d.day) - EPOCH_1601).total_seconds()) * 10_000_000)


def us(d, hour=9, minute=15):
    h12 = hour % 12 or 12
    return f"{d.month}/{d.day}/{d.year} {h12}:{minute:02d}:00 {'AM' if hour < 12 else 'PM'}"


def eu(d):
    return f"{d.day:02d}/{d.month:02d}/{d.year} 08:30"


def days_ago(n):
    return TODAY - dt.timedelta(days=n)


def quote(v):
    return '"' + str(v).replace('"', '""') + '"'


def write(name, text, encoding="utf-8", bom=False):
    path = os.path.join(OUT, name)
    data = text.encode(encoding)
    if bom and encoding == "utf-8":
        data = b"\xef\xbb\xbf" + data
    if encoding == "utf-16-le":
        data = b"\xff\xfe" + data
    with open(path, "wb") as f:
        f.write(data)


def ad_users():
    """65 accounts; expected: 6 disabled, 2 expired, 1 system, 5 service, 7 dormant, 44 counted
    (2 near the line) → 39 people: 35 employees, 1 onsite and 1 offsite contractor, 2 partners."""
    cols = ["AccountExpirationDate", "accountExpires", "Company", "Description", "DisplayName",
            "DistinguishedName", "EmailAddress", "EmployeeID", "employeeType", "Enabled", "GivenName",
            "LastLogonDate", "lastLogonTimestamp", "Name", "PasswordNeverExpires", "SamAccountName",
            "servicePrincipalName", "Surname", "UserPrincipalName", "whenCreated"]
    rows = []

    def add(sam, first, last, ou="OU=Staff,OU=Users", enabled=True, last_logon=5, created=900,
            emp_id="", emp_type="", mail=True, expires=None, pne=False, spn="", desc=""):
        ll = days_ago(last_logon) if last_logon is not None else None
        cr = days_ago(created)
        upn = f"{sam}@corp.example"
        rows.append({
            "AccountExpirationDate": us(expires) if expires else "",
            "accountExpires": filetime(expires) if expires else "9223372036854775807",
            "Company": "Example Ltd",
            "Description": desc,
            "DisplayName": f"{first} {last}".strip(),
            "DistinguishedName": f"CN={first} {last},{ou},DC=corp,DC=example",
            "EmailAddress": f"{first.lower()}.{last.lower()}@example.com" if mail else "",
            "EmployeeID": emp_id,
            "employeeType": emp_type,
            "Enabled": "True" if enabled else "False",
            "GivenName": first,
            "LastLogonDate": us(ll, 8 + len(sam) % 9, len(sam) * 7 % 60) if ll else "",
            "lastLogonTimestamp": filetime(ll) if ll else "",
            "Name": f"{first} {last}".strip(),
            "PasswordNeverExpires": "True" if pne else "False",
            "SamAccountName": sam,
            "servicePrincipalName": spn,
            "Surname": last,
            "UserPrincipalName": upn,
            "whenCreated": us(cr, 14, 2),
        })

    # 30 active employees (last logon 1–40 days ago, so some dates have a day above 12).
    people = []
    for i in range(30):
        first, last = FIRST[i], LAST[i % len(LAST)]
        sam = f"{first[0].lower()}{last.lower()}{i:02d}"
        people.append((sam, first, last))
        add(sam, first, last, emp_id=f"E{1000 + i}", emp_type="Employee", last_logon=1 + i % 40,
            pne=(i == 7), desc="Chief executive" if i == 7 else "")
    # Admin accounts of three employees and a second account of one (same employeeID): 4 accounts, 0 people.
    add("adm-" + people[0][0], people[0][1], people[0][2] + " (admin)", ou="OU=Admins", mail=False)
    add("adm-" + people[1][0], people[1][1], people[1][2] + " (admin)", ou="OU=Admins", mail=False)
    add(people[2][0] + "-a", people[2][1], people[2][2] + " (admin)", ou="OU=Admins", mail=False)
    add(people[3][0] + "2", people[3][1], people[3][2], emp_id=f"E{1003}", mail=False, last_logon=3)
    # The built-in Administrator (enabled, used): a person until someone says whose it is.
    add("Administrator", "", "Administrator", ou="OU=Builtin", mail=False, last_logon=2, created=4000)
    # Contractors: one onsite, one offsite; partners in OU=Partners.
    add("ctr.james", "Jim", "Contract", emp_type="Contractor", ou="OU=Contractors")
    add("ctr.ola", "Ola", "Remote", emp_type="Contractor (offsite)", ou="OU=Contractors")
    add("p.anders", "Anders", "Partner", ou="OU=Partners,OU=External")
    add("p.berit", "Berit", "Partner", ou="OU=Partners,OU=External")
    # Near the line: 95 days (cut-off 90, lag 14): counted.
    add("near.one", "Nia", "Near", last_logon=95, emp_id="E2001")
    add("near.two", "Ned", "Near", last_logon=100, emp_id="E2002")
    # New joiner who has not logged on yet: counted.
    add("new.joiner", "Nora", "New", last_logon=None, created=10, emp_id="E2003")
    # 6 disabled accounts (leavers; krbtgt and Guest are disabled too).
    for i in range(4):
        add(f"leaver{i}", "Left", f"Leaver{i}", enabled=False, last_logon=200 + i, emp_id=f"E9{i}")
    add("krbtgt", "", "krbtgt", ou="OU=Builtin", enabled=False, mail=False, last_logon=None, created=4000)
    add("Guest", "", "Guest", ou="OU=Builtin", enabled=False, mail=False, last_logon=None, created=4000)
    # 2 expired (temporary staff whose end date passed).
    add("temp.amy", "Amy", "Temp", expires=days_ago(20), last_logon=25)
    add("temp.bob", "Bob", "Temp", expires=days_ago(3), last_logon=4)
    # 5 service accounts.
    add("svc_backup", "", "svc_backup", ou="OU=Service Accounts", mail=False, pne=True, last_logon=1)
    add("sa-sql01", "", "sa-sql01", mail=False, pne=True, spn="MSSQLSvc/sql01.corp.example:1433", last_logon=1)
    add("sqlreports", "", "sqlreports", mail=False, pne=True, last_logon=2)
    add("webapp", "", "webapp", mail=False, spn="HTTP/intranet.corp.example", last_logon=1)
    add("scanner", "", "scanner", ou="OU=Service Accounts", mail=False, last_logon=9)
    # 1 system mailbox.
    add("HealthMailbox0a1b2c", "", "HealthMailbox0a1b2c", ou="OU=Microsoft Exchange System Objects", mail=False, last_logon=1)
    # 7 dormant: 6 with an old logon, 1 never logged on and created long ago.
    for i in range(6):
        add(f"dormant{i}", "Dora", f"Mant{i}", last_logon=120 + 30 * i, emp_id=f"E3{i:02d}")
    add("never.used", "Neville", "Unused", last_logon=None, created=400, emp_id="E3100")
    # 2 accounts sharing one mail address (a person with a test account): collapse.
    add("tester", "Tess", "Ter", emp_id="", last_logon=6)
    add("tester.test", "Tess", "Ter", emp_id="", last_logon=7)
    lines = ["#TYPE Microsoft.ActiveDirectory.Management.ADUser", ",".join(quote(c) for c in cols)]
    for r in rows:
        lines.append(",".join(quote(r[c]) for c in cols))
    # A description with an embedded newline and quotes, as real exports have.
    lines = [l.replace('"Chief executive"', '"Chief executive\r\nsays ""hi"""') for l in lines]
    write("ad-users.csv", "\r\n".join(lines) + "\r\n", encoding="utf-16-le")
    return len(rows)


def entra_users():
    """25 accounts: 16 members active, 2 blocked, 4 #EXT# guests (3 active, 1 dormant), 3 dormant members.
    Expected: 19 counted → 16 employees + 3 partners."""
    cols = ["User principal name", "Display name", "User type", "Account enabled", "Employee ID",
            "Company name", "Last sign-in", "Created"]
    rows = []
    for i in range(16):
        first, last = FIRST[20 + i], LAST[i]
        rows.append([f"{first.lower()}.{last.lower()}@corp.example", f"{first} {last}", "Member", "Yes",
                     f"E{5000 + i}", "Example GmbH", eu(days_ago(1 + 2 * i)), eu(days_ago(700))])
    for i in range(2):
        rows.append([f"blocked{i}@corp.example", f"Blocked {i}", "Member", "No", "", "Example GmbH",
                     eu(days_ago(300)), eu(days_ago(900))])
    for i in range(4):
        rows.append([f"guest{i}_partner.example#EXT#@corpexample.onmicrosoft.com", f"Guest {i}", "Guest", "Yes",
                     "", "", eu(days_ago(10 + i if i < 3 else 200)), eu(days_ago(500))])
    for i in range(3):
        rows.append([f"old{i}@corp.example", f"Old {i}", "Member", "Yes", "", "Example GmbH",
                     eu(days_ago(150 + i)), eu(days_ago(800))])
    lines = [";".join(cols)] + [";".join(r) for r in rows]
    write("entra-users.csv", "\n".join(lines) + "\n", bom=True)


def computers_ad():
    """12 computers: 3 servers, 1 disabled, 1 not seen for 200 days, 7 workstations (no primary
    user in AD: classified as client devices)."""
    cols = ["DistinguishedName", "DNSHostName", "Enabled", "LastLogonDate", "Name", "ObjectClass",
            "OperatingSystem", "SamAccountName"]
    rows = []

    def add(name, os_, enabled=True, seen=3, ou="OU=Workstations"):
        rows.append([f"CN={name},{ou},DC=corp,DC=example", f"{name.lower()}.corp.example",
                     "True" if enabled else "False", us(days_ago(seen)), name, "computer", os_, name + "$"])
    for s in ["FS01", "APP01", "RDS01"]:
        add(s, "Windows Server 2022 Standard", ou="OU=Servers")
    for i in range(7):
        add(f"WS{i:03d}", "Windows 11 Enterprise", seen=1 + i * 3)
    add("WS900", "Windows 10 Enterprise", enabled=False)
    add("WS901", "Windows 10 Enterprise", seen=200)
    lines = [",".join(quote(c) for c in cols)] + [",".join(quote(v) for v in r) for r in rows]
    write("computers-ad.csv", "\n".join(lines) + "\n")


def devices_intune():
    """10 devices: 6 personal (primary user), 2 shared kiosks, 1 printer, 1 stale."""
    cols = ["Device name", "Primary user UPN", "OS", "OS version", "Last check-in", "Category"]
    rows = []
    for i in range(6):
        rows.append([f"LAPTOP-{i:02d}", f"user{i}@corp.example", "Windows", "10.0.22631", f"{TODAY - dt.timedelta(days=i):%Y-%m-%d} 10:00:00", "Laptop"])
    rows.append(["KIOSK-01", "", "Windows", "10.0.22631", f"{days_ago(1):%Y-%m-%d} 07:00:00", "Kiosk"])
    rows.append(["KIOSK-02", "", "Windows", "10.0.22631", f"{days_ago(2):%Y-%m-%d} 07:00:00", "Kiosk"])
    rows.append(["PRN-FLOOR2", "", "Printer firmware", "4.1", f"{days_ago(1):%Y-%m-%d} 06:00:00", "Printer"])
    rows.append(["LAPTOP-OLD", "user9@corp.example", "Windows", "10.0.19045", f"{days_ago(365):%Y-%m-%d} 10:00:00", "Laptop"])
    lines = [",".join(cols)] + [",".join(r) for r in rows]
    write("devices-intune.csv", "\r\n".join(lines) + "\r\n")


def ual():
    """Get-UalUserAccess from FS01, APP01, RDS01. 12 distinct users (one a service account, one the
    dormant account dormant0, whom the log shows active), 3 servers."""
    cols = ["ProductName", "RoleGuid", "RoleName", "TenantIdentifier", "UserName", "ActivityCount",
            "FirstSeen", "LastSeen", "PSComputerName"]
    users = ["CORP\\jsmith00", "CORP\\mjones01", "CORP\\rtaylor02", "CORP\\pbrown03", "CORP\\jwilliams04",
             "CORP\\jwilson05", "CORP\\mjohnson06", "CORP\\ldavies07", "CORP\\ctr.james", "CORP\\p.anders",
             "CORP\\svc_backup", "CORP\\dormant0"]
    roles = {"FS01": "File Server", "APP01": "Web Server (IIS)", "RDS01": "Remote Desktop Services"}
    rows = []
    for n, u in enumerate(users):
        for s in (["FS01", "APP01"] if n % 3 else ["FS01", "RDS01"]):
            rows.append(["Windows Server 2022 Standard", "10a9226f-50ee-49d8-a393-9a501d47ce04", roles[s],
                         "00000000-0000-0000-0000-000000000000", u, str(3 + n), f"{us(days_ago(60))}",
                         f"{us(days_ago(2 + n))}", s])
    lines = ["#TYPE Microsoft.Management.Infrastructure.CimInstance#root/AccessLogging/MsftUal_UserAccess",
             ",".join(quote(c) for c in cols)] + [",".join(quote(v) for v in r) for r in rows]
    write("ual-user-access.csv", "\r\n".join(lines) + "\r\n")


def logon_events():
    """Security 4624 events on RDS01 and FS01: 5 people from 4 workstations (one kiosk shared by two),
    plus SYSTEM and a computer account, which are left out."""
    cols = ["TimeCreated", "MachineName", "EventID", "TargetUserName", "TargetDomainName", "LogonType",
            "WorkstationName", "IpAddress"]
    ev = [("RDS01", "jsmith00", "10", "WS000"), ("RDS01", "mjones01", "10", "WS001"),
          ("RDS01", "rtaylor02", "10", "KIOSK-01"), ("RDS01", "pbrown03", "10", "KIOSK-01"),
          ("FS01", "jwilliams04", "3", "WS003"), ("FS01", "jsmith00", "3", "WS000"),
          ("FS01", "SYSTEM", "5", "-"), ("FS01", "WS003$", "3", "WS003"),
          ("RDS01", "jsmith00", "10", "WS000")]
    rows = []
    for n, (srv, user, lt, ws) in enumerate(ev):
        t = dt.datetime(2025, 6, 2 + n, 9, 0, 0)
        rows.append([t.strftime("%Y-%m-%dT%H:%M:%S"), f"{srv}.corp.example", "4624", user, "CORP", lt, ws,
                     f"10.0.0.{10 + n}"])
    lines = ["\t".join(cols)] + ["\t".join(r) for r in rows]
    write("logon-events.tsv", "\n".join(lines) + "\n")


def rds_report():
    """RD Licensing per-user report: 6 users, 2019 CALs."""
    cols = ["Issued To User", "License Server", "CAL Type", "CAL Version", "Issued On", "Expires On"]
    users = ["CORP\\jsmith00", "CORP\\mjones01", "CORP\\rtaylor02", "CORP\\pbrown03", "CORP\\p.anders",
             "CORP\\ctr.ola"]
    rows = [[u, "LIC01", "Windows Server 2019 - RDS Per User CAL", "Windows Server 2019",
             us(days_ago(40 + i)), us(days_ago(40 + i) + dt.timedelta(days=60))] for i, u in enumerate(users)]
    lines = [",".join(cols)] + [",".join(r) for r in rows]
    write("rds-per-user.csv", "\r\n".join(lines) + "\r\n")


def licence_statement():
    """8 rows: 6 CAL holdings, 1 server licence (ignored), 1 unreadable quantity (line 9)."""
    cols = ["Agreement", "Product", "Version", "License Type", "Quantity", "Software Assurance", "SA Start", "SA End"]
    rows = [
        ["V1234567", "WinSvrCAL 2022 SNGL OLP NL UsrCAL", "2022", "User", "30", "Yes", "2022-07-01", "2025-06-30"],
        ["V1234567", "WinSvrCAL 2019 SNGL OLP NL DvcCAL", "2019", "Device", "10", "No", "", ""],
        ["V1234567", "WinRmtDsktpSrvcsCAL 2019 SNGL OLP NL UsrCAL", "2019", "User", "5", "No", "", ""],
        ["V7654321", "SQLCAL 2019 SNGL OLP NL UsrCAL", "2019", "User", "25", "No", "", ""],
        ["V7654321", "Windows Server 2022 External Connector", "2022", "", "1", "No", "", ""],
        ["V7654321", "WinSvrCAL 2022 SNGL OLP NL UsrCAL", "2022", "User", "1,200", "Yes", "2022-07-01", "2025-06-30"],
        ["V7654321", "WinSvrSTDCore 2022 SNGL OLP 16Lic NL CoreLic", "2022", "", "4", "No", "", ""],
        ["V7654321", "ExchgSvrStdCAL 2019 SNGL OLP NL UsrCAL", "2019", "User", "twelve", "No", "", ""],
    ]
    lines = [",".join(cols)] + [",".join(quote(v) for v in r) for r in rows]
    write("licence-statement.csv", "\n".join(lines) + "\n")


def m365_active_users():
    """29 accounts: 18 members holding Microsoft 365 E3 (one beside the E5 Security add-on, one the
    no-Teams E3), 4 holding E5, 3 Office 365 E3 only, 1 unlicensed, 1 blocked holding E3, 2 #EXT#
    guests. Expected: 28 counted → 26 employees (18 with E3, 4 with E5) + 2 partners."""
    cols = ["Block credential", "City", "Country/Region", "Department", "DirSyncEnabled", "Display name",
            "First name", "Last name", "Licenses", "Object Id", "Office", "Password never expires",
            "Proxy addresses", "Title", "Usage location", "User principal name", "When created"]
    licences = (["Microsoft 365 E3+Microsoft Teams Exploratory"] * 8 + ["Microsoft 365 E3"] * 8
                + ["Microsoft 365 E3+Microsoft 365 E5 Security",
                   "Microsoft 365 E3 (no Teams)+Microsoft Teams Enterprise"]
                + ["Microsoft 365 E5"] * 4 + ["Office 365 E3"] * 3 + ["Unlicensed"])
    rows = []
    for i, lic in enumerate(licences):
        first, last = FIRST[i], LAST[(i + 7) % len(LAST)]
        upn = f"{first.lower()}.{last.lower()}@corp.example"
        dept = "IT" if "E5" in lic and "Security" not in lic else ("Sales" if i % 2 else "Operations")
        rows.append(["False", "Leeds", "United Kingdom", dept, "True", f"{first} {last}", first, last, lic,
                     f"5b0c{i:04d}-1f2e-4a7b-9c3d-00000000{i:04d}", "", "False", f"SMTP:{upn}", "", "GB", upn,
                     us(days_ago(400 + 9 * i))])
    rows.append(["True", "Leeds", "United Kingdom", "Sales", "True", "Former Employee", "Former", "Employee",
                 "Microsoft 365 E3", "5b0c0900-1f2e-4a7b-9c3d-000000000900", "", "False",
                 "SMTP:former.employee@corp.example", "", "GB", "former.employee@corp.example", us(days_ago(1200))])
    for i in range(2):
        rows.append(["False", "", "", "", "", f"Guest {i}", "", "", "Unlicensed",
                     f"5b0c0a0{i}-1f2e-4a7b-9c3d-000000000a0{i}", "", "False", "", "", "",
                     f"guest{i}_partner.example#EXT#@corpexample.onmicrosoft.com", us(days_ago(90 + i))])
    lines = [",".join(quote(c) for c in cols)] + [",".join(quote(v) for v in r) for r in rows]
    write("m365-active-users.csv", "\r\n".join(lines) + "\r\n", bom=True)


def m365_subscriptions():
    """The tenant of m365-active-users.csv: 20 SPE_E3 units enabled (18 assigned) and 1 of E3
    without Teams; 3 of SPE_E5 enabled, 4 assigned and 1 in the grace period after a subscription
    ended; the E5 Security add-on, Office 365 E3 and free plans (no CAL rights). Expected: 21 E3
    seats and 3 E5 seats, 6 subscriptions left out."""
    cols = ["ExtensionData", "AccountName", "AccountObjectId", "AccountSkuId", "ActiveUnits", "ConsumedUnits",
            "LockedOutUnits", "ServiceStatus", "SkuId", "SkuPartNumber", "SubscriptionIds", "SuspendedUnits",
            "TargetClass", "WarningUnits"]
    skus = [("SPE_E3", "05e9a617-0261-4cee-bb44-138d3ef5d965", 20, 18, 0),
            ("Microsoft_365_E3_(no_Teams)", "dcf0408c-aaec-446c-afd4-43e3683943ea", 1, 1, 0),
            ("SPE_E5", "06ebc4ee-1bb5-47dd-8120-11324bc54e06", 3, 4, 1),
            ("IDENTITY_THREAT_PROTECTION", "26124093-3d78-432b-b5dc-48bf992543d5", 1, 1, 0),
            ("ENTERPRISEPACK", "6fd2c87f-b296-42f0-b197-1e91e994b900", 3, 3, 0),
            ("TEAMS_EXPLORATORY", "710779e8-3d4a-4c88-adb9-386c958d1fdf", 100, 8, 0),
            ("FLOW_FREE", "f30db892-07e9-47e9-837c-80727f46fd3d", 10000, 6, 0),
            ("POWER_BI_STANDARD", "a403ebcc-fae0-4ca2-8c8c-7a907fd6c235", 1000000, 3, 0)]
    rows = []
    for part, sku_id, active, consumed, warning in skus:
        rows.append(["System.Runtime.Serialization.ExtensionDataObject", "corpexample", "", f"corpexample:{part}",
                     active, consumed, 0,
                     "System.Collections.Generic.List`1[Microsoft.Online.Administration.ServiceStatus]", sku_id,
                     part, "System.Collections.Generic.List`1[System.Guid]", 0, "User", warning])
    lines = [",".join(quote(c) for c in cols)] + [",".join(quote(v) for v in r) for r in rows]
    write("m365-subscriptions.csv", "\r\n".join(lines) + "\r\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    ad_users()
    entra_users()
    computers_ad()
    devices_intune()
    ual()
    logon_events()
    rds_report()
    licence_statement()
    m365_active_users()
    m365_subscriptions()


if __name__ == "__main__":
    main()
