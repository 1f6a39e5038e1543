// /plugins/HOST: one host's details, alerts, graphs (uPlot), Nagios checks, plugins, boots and outages.
//
// Sources hand API objects to HBHost: the WebSocket (HB.live) pushes the host's row and the alerts as they change;
// the poll below loads host, plugins and alerts every two seconds while the socket is down and every ten while it is
// up (plugins' states and pending commands are not pushed); graphs every ten seconds.
"use strict";

const HBHost = (() => {
  const segment = location.pathname.slice(location.pathname.lastIndexOf("/") + 1);
  const name = decodeURIComponent(segment);
  const hostPath = "api/hosts/" + HB.segment(name);
  const $ = id => document.getElementById(id);
  const RANGES = { PT1H: [3600, null], PT6H: [21600, 60], PT24H: [86400, 300], P7D: [604800, 1800] };
  const charts = new Map();
  let lastPlugins = null;
  let rttHistory = [];

  document.title = "Heartbeat: " + name;
  $("title").textContent = name;

  function problem(text) {
    $("problem").hidden = !text;
    $("problem").textContent = text || "";
  }

  // ---- details ----

  function fact(dl, term, value) {
    dl.append(HB.el("dt", null, term), HB.el("dd", null, value));
  }

  function showHost(h) {
    const dl = HB.el("dl", "facts");
    fact(dl, "Status", HB.el("span", "status " + h.status, h.status));
    fact(dl, "Last heartbeat", HB.ago(h.last_seen) + (h.last_seen ? " (" + HB.time(h.last_seen) + ")" : ""));
    if (h.overdue_since) fact(dl, "Overdue since", HB.time(h.overdue_since));
    fact(dl, "RTT", HB.ms(h.rtt_ms));
    fact(dl, "Interval", HB.seconds(h.interval) + " (grace " + HB.seconds(h.grace) + ")");
    fact(dl, "Owner", h.owner || "\u2013");
    fact(dl, "Address", h.address || "\u2013");
    fact(dl, "Booted", h.boot_time ? HB.time(h.boot_time) : "\u2013");
    fact(dl, "First seen", HB.time(h.first_seen));
    fact(dl, "Heartbeats", String(h.heartbeats));
    if (h.tags && h.tags.length) fact(dl, "Tags", h.tags.join(", "));
    if (h.depends_on && h.depends_on.length) fact(dl, "Depends on", h.depends_on.join(", "));
    if (h.conflict) fact(dl, "Name conflict", h.conflict);
    fact(dl, "Signed", h.authenticated ? "yes" : "no");
    $("facts").replaceChildren(...dl.childNodes);
    const queued = h.pending_commands || [];
    $("pending").textContent = "Pending: " + (queued.length
      ? queued.map(c => c.name + (c.argument ? " " + c.argument : "")).join(", ") : "none") + ".";
    rttHistory = h.rtt_history_ms || [];
    const xs = rttHistory.map((_, i) => i - rttHistory.length + 1);
    chart("rtt", "RTT, last " + rttHistory.length + " heartbeats", [xs, rttHistory], ["RTT"], HB.ms, false, false);
  }

  function showAlerts(all) {
    const mine = (all || []).filter(a => a.host === name);
    $("alerts-none").hidden = mine.length > 0;
    $("alerts-table").hidden = mine.length === 0;
    $("alerts").replaceChildren(...mine.map(a => {
      const state = [];
      if (a.acknowledged) state.push("acknowledged by " + a.acknowledged.user);
      if (a.silenced) state.push("silenced");
      if (a.flapping) state.push("flapping");
      if (a.held_back) state.push("held back: " + a.held_back);
      const tr = HB.el("tr", null, [
        HB.el("td", "wrap", a.message),
        HB.el("td", "status " + a.severity.toLowerCase(), a.severity),
        HB.el("td", "wide", HB.time(a.since)),
        HB.el("td", "wrap", state.join(", ") || "active")]);
      return tr;
    }));
  }

  // ---- plugins, checks and which graphs there are ----

  function pointer(...keys) {
    return keys.map(k => "/" + String(k).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
  }

  const percent = v => v == null ? "\u2013" : v.toFixed(1) + " %";

  /** The graphs the host's plugins allow: [{key, title, plugin, metrics: [[label, pointer]], format}]. */
  function graphsOf(plugins) {
    const graphs = [];
    const p = plugins || {};
    const rate = v => v == null ? "\u2013" : HB.bytes(v) + "/s";
    if (p.cpu_monitor) {
      graphs.push({ key: "cpu", title: "CPU", plugin: "cpu_monitor", metrics: [["busy", "/cpu_percent"]], format: percent });
    }
    if (p.memory_monitor) {
      const m = [["used", "/percent"]];
      const v = p.memory_monitor.values || {};
      if (v.swap && v.swap.percent != null) m.push(["swap", "/swap/percent"]);
      graphs.push({ key: "memory", title: "Memory", plugin: "memory_monitor", metrics: m, format: percent });
    }
    const disks = ((p.disk_monitor && p.disk_monitor.values) || {}).partitions || {};
    for (const mount of Object.keys(disks).sort()) {
      graphs.push({ key: "disk " + mount, title: "Disk " + mount, plugin: "disk_monitor",
        metrics: [["used", pointer("partitions", mount, "percent")]], format: percent });
    }
    const nics = ((p.network_monitor && p.network_monitor.values) || {}).interfaces || {};
    for (const nic of Object.keys(nics).sort()) {
      graphs.push({ key: "net " + nic, title: "Network " + nic, plugin: "network_monitor",
        metrics: [["in", pointer("interfaces", nic, "bytes_in_per_s")], ["out", pointer("interfaces", nic, "bytes_out_per_s")]],
        format: rate });
    }
    return graphs;
  }

  function showPlugins(plugins) {
    lastPlugins = plugins;
    const names = Object.keys(plugins || {}).sort();
    $("plugins-none").hidden = names.length > 0;
    $("plugins-table").hidden = names.length === 0;
    $("plugins").replaceChildren(...names.map(n => {
      const s = plugins[n];
      const th = HB.el("th", null, n);
      th.scope = "row";
      return HB.el("tr", null, [th,
        HB.el("td", "status " + (s.status === "ok" ? "ok" : s.status === "failing" ? "critical" : "warning"), s.status),
        HB.el("td", "wide", HB.ago(s.received)),
        HB.el("td", "wrap", s.error ? s.error.message : "\u2013")]);
    }));
    const nagios = plugins && plugins.nagios && plugins.nagios.values && plugins.nagios.values.checks;
    $("checks-section").hidden = !nagios;
    if (nagios) {
      $("checks").replaceChildren(...Object.keys(nagios).sort().map(check => {
        const c = nagios[check];
        const th = HB.el("th", null, check);
        th.scope = "row";
        return HB.el("tr", null, [th,
          HB.el("td", "status " + String(c.status || "unknown").toLowerCase(), c.status || "UNKNOWN"),
          HB.el("td", "wrap", c.output || ""),
          HB.el("td", "wide", c.checked ? new Date(c.checked).toLocaleString() : "\u2013")]);
      }));
    }
  }

  // ---- charts ----

  function themed() {
    const style = getComputedStyle(document.documentElement);
    const fg = style.getPropertyValue("--muted").trim() || "#59636e";
    const grid = style.getPropertyValue("--line").trim() || "#d1d9e0";
    return { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  }

  /** The figure of a chart, made on first use: caption, plot and a line of text saying what it shows. */
  function figure(key, title) {
    let c = charts.get(key);
    if (!c) {
      const fig = HB.el("figure", "chart");
      const caption = HB.el("figcaption", null, title);
      const plotBox = HB.el("div", "plot");
      plotBox.setAttribute("role", "img");
      const note = HB.el("p", "muted");
      fig.append(caption, plotBox, note);
      c = { figure: fig, caption, plotBox, note, plot: null, labels: "" };
      charts.set(key, c);
    }
    c.caption.textContent = title;
    return c;
  }

  /**
   * Draws (or redraws) one chart: data is [xs, ys1, ys2...]; time says whether xs are Unix seconds (then the x axis
   * spans the selected range); percent charts span 0 to 100.
   */
  function chart(key, title, data, labels, format, time, percent) {
    const c = figure(key, title);
    if (!c.figure.isConnected) $("charts").append(c.figure);
    const last = data.slice(1).map(ys => { for (let i = ys.length - 1; i >= 0; i--) if (ys[i] != null) return ys[i]; return null; });
    const described = labels.map((l, i) => l + " " + format(last[i])).join(", ");
    c.plotBox.setAttribute("aria-label", title + ": " + (data[0].length ? "latest " + described : "no data yet"));
    c.note.textContent = data[0].length ? "Latest: " + described + "." : "No data in this range yet.";
    if (typeof uPlot === "undefined") return;
    const width = Math.max(200, c.figure.clientWidth || 300);
    if (c.plot && c.labels === labels.join("|")) {
      c.plot.setData(data);
      if (Math.abs(c.plot.width - width) > 2) c.plot.setSize({ width, height: 180 });
      return;
    }
    if (c.plot) c.plot.destroy();
    const axis = themed();
    const x = { time };
    if (time) {
      x.range = () => {
        const now = Date.now() / 1000;
        return [now - RANGES[$("range").value][0], now];
      };
    }
    const y = percent ? { range: (u, min, max) => [0, Math.max(100, max || 0)] } : {};
    c.plot = new uPlot({
      width, height: 180,
      scales: { x, y },
      legend: { show: labels.length > 1 },
      cursor: { drag: { x: false, y: false } },
      series: [{ label: time ? "time" : "heartbeat" }, ...labels.map((label, i) => ({
        label, stroke: HB.PALETTE[i % HB.PALETTE.length], width: 1.5, spanGaps: true,
        value: (u, v) => format(v) }))],
      axes: [Object.assign({}, axis), Object.assign({ size: 70, values: (u, vals) => vals.map(format) }, axis)],
    }, data, c.plotBox);
    c.labels = labels.join("|");
  }

  /** Joins series of points ({time, value}) on their times into uPlot's [xs, ys...]. */
  function join(seriesList) {
    const times = new Set();
    for (const points of seriesList) for (const p of points) times.add(Date.parse(p.time) / 1000);
    const xs = [...times].sort((a, b) => a - b);
    const index = new Map(xs.map((x, i) => [x, i]));
    return [xs, ...seriesList.map(points => {
      const ys = new Array(xs.length).fill(null);
      for (const p of points) ys[index.get(Date.parse(p.time) / 1000)] = p.value;
      return ys;
    })];
  }

  async function history(plugin, metric) {
    const range = $("range").value;
    const step = RANGES[range][1];
    const query = "?metric=" + encodeURIComponent(metric) + "&since=" + range + (step ? "&step=" + step : "");
    try {
      const answer = await HB.api(hostPath + "/plugins/" + encodeURIComponent(plugin) + "/history" + query);
      return answer.points;
    } catch (e) {
      if (e.status === 404) return [];
      throw e;
    }
  }

  async function drawGraphs() {
    const graphs = graphsOf(lastPlugins);
    $("graphs-status").textContent = graphs.length === 0 ? "No plugin values to draw yet." : "";
    for (const [key, c] of charts) {
      if (key !== "rtt" && !graphs.some(g => g.key === key)) {
        if (c.plot) c.plot.destroy();
        c.figure.remove();
        charts.delete(key);
      }
    }
    // the figures in a fixed order (RTT, CPU, memory, disks, networks), whichever history arrives first
    const order = [charts.get("rtt"), ...graphs.map(g => figure(g.key, g.title))].filter(c => c);
    $("charts").append(...order.map(c => c.figure));
    await Promise.all(graphs.map(async g => {
      const series = await Promise.all(g.metrics.map(([, metric]) => history(g.plugin, metric)));
      chart(g.key, g.title, join(series), g.metrics.map(([label]) => label), g.format, true, g.format === percent);
    }));
  }

  // ---- commands (POST api/hosts/NAME/commands; an admin or the host's owner, who alone sees this page) ----

  function commandForm() {
    const form = $("command-form");
    const showArgument = () => {
      const needs = $("command").value === "set-interval";
      $("argument-label").hidden = !needs;
      $("argument").required = needs;
    };
    $("command").addEventListener("change", showArgument);
    showArgument();
    form.addEventListener("submit", async ev => {
      ev.preventDefault();
      const command = $("command").value;
      const body = { command };
      if (command === "set-interval") body.argument = $("argument").value;
      const what = "Queue " + command + (body.argument ? " " + body.argument : "") + " for " + name;
      $("queue").disabled = true;
      try {
        const queued = await HB.api(hostPath + "/commands", { method: "POST", body });
        HB.outcome($("command-outcome"), what + ": queued (command " + queued.id + ").", false);
        poller();
      } catch (e) {
        HB.outcome($("command-outcome"), HB.explain(e, what), true);
      } finally {
        $("queue").disabled = false;
      }
    });
    HB.readOnly().then(ro => { form.hidden = ro; });
  }
  commandForm();

  // ---- boots and outages ----

  async function loadHistory() {
    const events = await HB.api(hostPath + "/events?type=boot,new,overdue,recovered&since=P7D&limit=1000");
    const latest = events.slice(-20).reverse();
    $("history-none").hidden = latest.length > 0;
    $("history-table").hidden = latest.length === 0;
    $("history").replaceChildren(...latest.map(e => HB.el("tr", null, [
      HB.el("td", null, HB.time(e.time)), HB.el("td", null, e.type), HB.el("td", "wrap wide", e.message || "")])));
  }

  // ---- the sources ----

  const alerts = new Map();
  let pending = [];
  let socket = null;

  const poller = HB.poll(async () => {
    const [host, plugins, alerts] = await Promise.all([
      HB.api(hostPath), HB.api(hostPath + "/plugins"), HB.api("api/alerts").catch(() => null)]);
    return { host, plugins, alerts };
  }, ({ host, plugins, alerts: active }) => {
    problem(null);
    pending = host.pending_commands || [];
    showHost(host);
    const first = lastPlugins === null;
    showPlugins(plugins.plugins);
    if (first) refreshGraphs();
    if (socket === null || !socket.live()) showAlerts(active);
  }, e => {
    problem(e.status === 404 ? "No host named \u201c" + name + "\u201d: it has not reported, or was forgotten."
      : e.status === 401 ? "Sign in to see this host: the server has users." : "Cannot load the host: " + e.message);
  }, 2000);

  function pushed(h) {
    // the socket's rows leave out the pending commands: the poll's last answer has them
    showHost(Object.assign({ pending_commands: pending }, h));
  }

  let alertsChanged = false;
  socket = HB.live({
    snapshot(m) {
      const h = (m.hosts || []).find(x => x.name === name);
      if (h) {
        problem(null);
        pushed(h);
      }
      alerts.clear();
      for (const a of m.alerts || []) if (a.host === name) alerts.set(a.id, a);
      showAlerts([...alerts.values()]);
    },
    event(e) {
      if (e.type === "host" && e.host.name === name) {
        problem(null);
        pushed(e.host);
      } else if (e.type === "alert" && e.alert.host === name) {
        alerts.set(e.alert.id, e.alert);
        alertsChanged = true;
      } else if (e.type === "alert_cleared" && alerts.delete(e.id)) {
        alertsChanged = true;
      } else if (e.type === "host_removed" && e.name === name) {
        problem("No host named \u201c" + name + "\u201d any more: it was forgotten.");
      }
    },
    batchEnd() {
      if (alertsChanged) showAlerts([...alerts.values()]);
      alertsChanged = false;
    },
  }, poller, 2000, 10000);

  function refreshGraphs() {
    $("graphs-status").textContent = "Loading\u2026";
    return drawGraphs().catch(e => { $("graphs-status").textContent = "Cannot load the graphs: " + e.message; });
  }
  setInterval(() => {
    if (!document.hidden && lastPlugins) drawGraphs().catch(e => { $("graphs-status").textContent = "Cannot load the graphs: " + e.message; });
  }, 10000);
  HB.poll(loadHistory, () => {}, () => {}, 30000);
  $("range").addEventListener("change", refreshGraphs);
  let resizeTimer = 0;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      for (const c of charts.values()) if (c.plot) c.plot.setSize({ width: Math.max(200, c.figure.clientWidth), height: 180 });
    }, 150);
  });

  return { showHost, showAlerts, showPlugins };
})();
