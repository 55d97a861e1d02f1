// The 50-server estate the input-latency figures are measured on (scripts/budget.mjs,
// scripts/profile-input.mjs): 30 Windows Server, 5 RDS session hosts, 8 SQL Server, 4 Exchange,
// 3 SharePoint; VMs on 6 hosts; 5 groups with partners and admins; shared and unattended
// devices; holdings.
export function estate50() {
  const servers = [];
  const ws = ["2016", "2019", "2022", "2025"];
  for (let i = 0; i < 30; i++) {
    servers.push({ id: `ws${i}`, name: `Windows server ${i}`, product: "windows-server", version: ws[i % 4], vm: i % 3 !== 0, host: `host${i % 6}` });
  }
  for (let i = 0; i < 5; i++) {
    servers.push({ id: `rds${i}`, name: `Session host ${i}`, product: "windows-server", version: "2022", rds_session_host: true, vm: true, host: `host${i % 6}` });
  }
  for (let i = 0; i < 8; i++) {
    servers.push({ id: `sql${i}`, name: `SQL ${i}`, product: "sql-server", version: i % 2 ? "2022" : "2019", windows_version: "2022", sql_licensing: "server-cal", cores: 8, vm: true, host: `host${i % 6}` });
  }
  for (let i = 0; i < 4; i++) {
    servers.push({ id: `ex${i}`, name: `Exchange ${i}`, product: "exchange", version: i < 2 ? "2019" : "SE", windows_version: "2022" });
  }
  for (let i = 0; i < 3; i++) {
    servers.push({ id: `sp${i}`, name: `SharePoint ${i}`, product: "share-point", version: "2019", windows_version: "2019" });
  }
  const ids = (prefix, n) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  return {
    format_version: 1,
    name: "Budget: 50 servers",
    groups: [
      { id: "staff", name: "Office staff", count: 850, devices_each: 2 },
      { id: "onsite", name: "Onsite contractors", count: 60, kind: "onsite-contractor", devices_each: 1 },
      { id: "shift", name: "Shift workers", count: 240, devices_each: 0 },
      { id: "partners", name: "Partners", count: 150, kind: "partner", devices_each: 1 },
      { id: "admins", name: "Administrators", count: 2, admin_only: true },
    ],
    shared_devices: [
      { id: "terminals", name: "Shift terminals", count: 90, shared_by: ["shift"] },
      { id: "scanners", name: "Scanners", count: 25, unattended: true, accesses: ["ws0", "ws1"] },
    ],
    servers,
    access: [
      { groups: ["staff", "onsite", "shift", "admins"], servers: ids("ws", 30) },
      { groups: ["staff", "onsite"], servers: ids("rds", 5), features: ["remote-desktop"] },
      { groups: ["staff"], servers: ids("sql", 8) },
      { groups: ["staff", "onsite", "shift"], servers: ids("ex", 4) },
      { groups: ["staff", "partners"], servers: ids("sp", 3) },
      { groups: ["partners"], servers: ["ws3", "ws4"] },
    ],
    holdings: [
      { product: "windows-server", kind: "user-cal", version: "2019", quantity: 600 },
      { product: "windows-server", kind: "device-cal", version: "2016", quantity: 100 },
      { product: "rds", kind: "user-cal", version: "2019", quantity: 200 },
      { product: "sql-server", kind: "user-cal", version: "2019", quantity: 300 },
    ],
  };
}

