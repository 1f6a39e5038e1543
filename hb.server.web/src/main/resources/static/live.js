// /live: every host, sorted and filtered, with only the rows in view in the page (10,000 hosts stay fast).
//
// The page keeps a model (hosts by name, active alerts per host) and draws from it at most once per frame.
// Sources change the model through HBLive: the WebSocket (HB.live) sets it from its snapshot and then updates one
// host or alert at a time as batches arrive; while the socket is down, the poll below replaces it every two seconds.
"use strict";

const HBLive = (() => {
  const COLUMNS = 7;
  const STATUS_ORDER = { overdue: 0, unknown: 1, up: 2 };
  const table = document.getElementById("hosts-table");
  const tbody = document.getElementById("hosts");
  const summary = document.getElementById("summary");
  const caption = document.getElementById("caption");
  const banner = document.getElementById("banner");
  const filterName = document.getElementById("filter-name");
  const filterStatus = document.getElementById("filter-status");

  const hosts = new Map();
  let alertsByHost = new Map();
  let alertsKnown = false;
  let view = [];
  let viewIndex = new Map();
  let viewDirty = true;
  let sortKey = "name";
  let sortDir = 1;
  let rowHeight = 0;
  let frame = 0;
  let loaded = false;
  let lastSummary = "";

  const topSpacer = spacer();
  const bottomSpacer = spacer();
  const message = HB.el("tr", "message", HB.el("td", "muted wrap"));
  message.firstChild.colSpan = COLUMNS;
  const pool = [];

  function spacer() {
    const tr = HB.el("tr", "spacer");
    tr.setAttribute("aria-hidden", "true");
    const td = HB.el("td");
    td.colSpan = COLUMNS;
    tr.append(td);
    return tr;
  }

  // ---- the model: what sources call ----

  function setHosts(list) {
    hosts.clear();
    for (const h of list) hosts.set(h.name, h);
    loaded = true;
    changed();
  }

  function updateHost(host) {
    const old = hosts.get(host.name);
    hosts.set(host.name, host);
    const at = viewDirty || !old ? undefined : viewIndex.get(host.name);
    // a heartbeat that neither moves the row nor changes what the filter keeps replaces it in place: no re-sort
    // of 10,000 hosts for each of the many updates a batch brings
    if (at !== undefined && value(old, sortKey) === value(host, sortKey) && old.status === host.status) {
      view[at] = host;
      schedule();
    } else {
      changed();
    }
  }

  function removeHost(name) {
    hosts.delete(name);
    changed();
  }

  function setAlerts(alerts) {
    alertsByHost = new Map();
    alertsKnown = alerts != null;
    for (const a of alerts || []) alertsByHost.set(a.host, (alertsByHost.get(a.host) || 0) + 1);
    changed();
  }

  function changed() {
    viewDirty = true;
    schedule();
  }

  function schedule() {
    if (!frame) frame = requestAnimationFrame(draw);
  }

  // ---- drawing ----

  function value(h, key) {
    switch (key) {
      case "status": return STATUS_ORDER[h.status] ?? 3;
      case "last_seen": return h.last_seen ? Date.parse(h.last_seen) : -Infinity;
      case "rtt_ms": return h.rtt_ms ?? Infinity;
      case "interval": return h.interval ?? 0;
      case "owner": return h.owner || "";
      case "alerts": return alertsByHost.get(h.name) || 0;
      default: return h.name;
    }
  }

  function compute() {
    const text = filterName.value.trim().toLowerCase();
    const status = filterStatus.value;
    const list = [];
    for (const h of hosts.values()) {
      if (status && h.status !== status) continue;
      if (text && !h.name.toLowerCase().includes(text)) continue;
      list.push(h);
    }
    list.sort((a, b) => {
      const x = value(a, sortKey), y = value(b, sortKey);
      const c = x < y ? -1 : x > y ? 1 : 0;
      return c !== 0 ? c * sortDir : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    });
    view = list;
    viewIndex = new Map(list.map((h, i) => [h.name, i]));
    viewDirty = false;
  }

  function newRow() {
    const tr = HB.el("tr", "row");
    const link = HB.el("a");
    const status = HB.el("span", "status");
    const rtt = HB.el("span", "num");
    tr.append(
      HB.el("th", null, link),
      HB.el("td", null, status),
      HB.el("td", "num wider"),
      HB.el("td", null, [HB.sparkline([]), " ", rtt]),
      HB.el("td", "num wide"),
      HB.el("td", "wide"),
      HB.el("td", "num"));
    tr.firstChild.scope = "row";
    tr.refs = { link, status, rtt, spark: tr.children[3].firstChild };
    return tr;
  }

  function fill(tr, h, index, now) {
    const r = tr.refs;
    tr.setAttribute("aria-rowindex", String(index + 2));
    if (r.name !== h.name) {
      r.name = h.name;
      r.link.textContent = h.name;
      r.link.href = new URL("plugins/" + HB.segment(h.name), HB.ROOT).href;
    }
    r.status.textContent = h.status;
    r.status.className = "status " + h.status;
    tr.children[2].textContent = HB.ago(h.last_seen, now);
    tr.children[2].title = HB.time(h.last_seen);
    r.rtt.textContent = HB.ms(h.rtt_ms);
    HB.updateSparkline(r.spark, h.rtt_history_ms);
    tr.children[4].textContent = HB.seconds(h.interval);
    tr.children[5].textContent = h.owner || "\u2013";
    const alerts = alertsByHost.get(h.name) || 0;
    tr.children[6].textContent = alertsKnown ? String(alerts) : "\u2013";
    tr.children[6].className = "num" + (alerts > 0 ? " overdue" : "");
  }

  function draw() {
    frame = 0;
    if (viewDirty) compute();
    const now = Date.now();
    const n = view.length;
    table.setAttribute("aria-rowcount", String(n + 1));
    if (n === 0) {
      message.firstChild.textContent = !loaded ? "Loading\u2026" : hosts.size === 0
        ? "No host has reported yet. Start one with: hbc THIS-SERVER" : "No host matches the filter.";
      tbody.replaceChildren(message);
      pool.length = 0;
    } else {
      if (!rowHeight) rowHeight = parseFloat(getComputedStyle(document.documentElement).fontSize) * 2.1;
      const top = tbody.getBoundingClientRect().top;
      const overscan = 10;
      const first = Math.max(0, Math.min(n - 1, Math.floor(-top / rowHeight) - overscan));
      const last = Math.min(n, first + Math.ceil(window.innerHeight / rowHeight) + 2 * overscan);
      while (pool.length < last - first) pool.push(newRow());
      pool.length = last - first;
      for (let i = first; i < last; i++) fill(pool[i - first], view[i], i, now);
      topSpacer.firstChild.style.height = (first * rowHeight) + "px";
      bottomSpacer.firstChild.style.height = ((n - last) * rowHeight) + "px";
      topSpacer.hidden = first === 0;
      bottomSpacer.hidden = last === n;
      const wanted = [topSpacer, ...pool, bottomSpacer];
      if (tbody.children.length !== wanted.length || wanted.some((row, i) => tbody.children[i] !== row)) {
        tbody.replaceChildren(...wanted);
      }
      const measured = pool[0].getBoundingClientRect().height;
      if (measured > 0 && Math.abs(measured - rowHeight) > 0.5) {
        rowHeight = measured;
        schedule();
      }
    }
    drawSummary(n);
  }

  function drawSummary(shown) {
    const counts = { up: 0, overdue: 0, unknown: 0 };
    for (const h of hosts.values()) counts[h.status] = (counts[h.status] || 0) + 1;
    let alerts = 0;
    for (const c of alertsByHost.values()) alerts += c;
    const text = !loaded ? "Loading\u2026" : hosts.size + " hosts: " + counts.up + " up, " + counts.overdue
      + " overdue, " + counts.unknown + " unknown" + (alertsKnown ? "; " + alerts + " active alerts" : "") + ".";
    if (text !== lastSummary) {
      summary.textContent = text;
      lastSummary = text;
    }
    caption.textContent = shown === hosts.size ? "Hosts" : "Hosts: " + shown + " of " + hosts.size + " shown";
  }

  // ---- controls ----

  for (const th of table.querySelectorAll("th[data-key]")) {
    th.querySelector("button").addEventListener("click", () => {
      const key = th.dataset.key;
      sortDir = key === sortKey ? -sortDir : 1;
      sortKey = key;
      for (const other of table.querySelectorAll("th[data-key]")) other.removeAttribute("aria-sort");
      th.setAttribute("aria-sort", sortDir > 0 ? "ascending" : "descending");
      changed();
    });
  }
  table.querySelector('th[data-key="name"]').setAttribute("aria-sort", "ascending");
  filterName.addEventListener("input", changed);
  filterStatus.addEventListener("change", changed);
  window.addEventListener("scroll", schedule, { passive: true });
  window.addEventListener("resize", () => { rowHeight = 0; schedule(); });
  setInterval(schedule, 1000); // relative times move on

  // ---- the sources: the WebSocket, and the poll while it is down ----

  const pushed = new Map(); // the active alerts by id, as the socket tells them
  let alertsChanged = false;

  function pushAlerts() {
    setAlerts([...pushed.values()]);
  }

  const poller = HB.poll(async () => {
    const live = socket.live();
    const [list, alerts, status] = await Promise.all([
      live ? null : HB.api("api/hosts"),
      live ? null : HB.api("api/alerts").catch(() => null),
      HB.api("api/status").catch(() => null)]);
    return { list, alerts, status };
  }, ({ list, alerts: active, status }) => {
    if (list && !socket.live()) {
      setHosts(list);
      setAlerts(active);
    }
    const silent = (status && status.alerting && status.alerting.usersWithoutWorkingChannel) || [];
    banner.hidden = silent.length === 0;
    banner.textContent = silent.length === 0 ? "" : "Notifications are not getting through: every channel of "
      + silent.join(", ") + " is failing. See the log and /api/channels.";
  }, e => {
    summary.textContent = e.status === 401
      ? "Sign in to see the hosts: the server has users (HTTP " + e.status + ")."
      : "Cannot load the hosts (" + e.message + "); retrying.";
    lastSummary = summary.textContent;
  }, 2000, 1500);

  // The socket's snapshot usually comes first (the poll waits 1.5 s for it, so that 10,000 hosts are not loaded
  // twice); while live, the poll still asks every 30 s for what the socket does not push (the notification banner).
  const socket = HB.live({
    snapshot(m) {
      setHosts(m.hosts || []);
      pushed.clear();
      for (const a of m.alerts || []) pushed.set(a.id, a);
      pushAlerts();
    },
    event(e) {
      if (e.type === "host") updateHost(e.host);
      else if (e.type === "host_removed") removeHost(e.name);
      else if (e.type === "alert") {
        pushed.set(e.alert.id, e.alert);
        alertsChanged = true;
      } else if (e.type === "alert_cleared" && pushed.delete(e.id)) {
        alertsChanged = true;
      }
    },
    batchEnd() {
      if (alertsChanged) pushAlerts();
      alertsChanged = false;
    },
  }, poller, 2000, 30000);

  return { setHosts, updateHost, removeHost, setAlerts };
})();
