// /alerts: the active alerts (acknowledged, silenced, flapping, held back) and the silences; acknowledge and
// silence from the page through POST /api/alerts/ack and POST /api/silences.
//
// Sources hand API objects to HBAlerts: the WebSocket (HB.live) pushes the alerts as they change; the poll below
// loads alerts and silences every two seconds while the socket is down, and the silences (not pushed) every ten
// seconds while it is up. Without users configured the page is read-only: no buttons, only the banner.
"use strict";

const HBAlerts = (() => {
  const $ = id => document.getElementById(id);
  let refresh = () => {};
  let shown = "";
  let readOnly = false;

  function say(text, error) {
    HB.outcome($("outcome"), text, error);
  }

  async function act(button, what, call) {
    button.disabled = true;
    try {
      await call();
      say(what + ": done.", false);
      shown = "";
      refresh();
    } catch (e) {
      say(HB.explain(e, what), true);
      button.disabled = false;
    }
  }

  function button(label, description, onClick) {
    const b = HB.el("button", "action", label);
    b.type = "button";
    b.setAttribute("aria-label", description);
    b.addEventListener("click", () => onClick(b));
    return b;
  }

  function hostLink(host) {
    const a = HB.el("a", null, host);
    a.href = new URL("plugins/" + HB.segment(host), HB.ROOT).href;
    return a;
  }

  function showAlerts(alerts) {
    const n = alerts.length;
    const acked = alerts.filter(a => a.acknowledged).length;
    const silenced = alerts.filter(a => a.silenced).length;
    $("summary").textContent = n === 0 ? "No active alert." : n + " active alerts: " + acked + " acknowledged, "
      + silenced + " silenced.";
    $("alerts-table").hidden = n === 0;
    $("alerts").replaceChildren(...alerts.map(a => {
      const state = [];
      if (a.acknowledged) {
        state.push("acknowledged by " + a.acknowledged.user + (a.acknowledged.comment ? " (" + a.acknowledged.comment + ")" : ""));
      }
      if (a.silenced) state.push("silenced");
      if (a.flapping) state.push("flapping");
      if (a.held_back) state.push("held back: " + a.held_back);
      const actions = HB.el("td", "actions");
      if (readOnly) {
        actions.textContent = "\u2013";
      }
      if (!readOnly && !a.acknowledged) {
        actions.append(button("Acknowledge", "Acknowledge " + a.id, b => act(b, "Acknowledge " + a.id,
          () => HB.api("api/alerts/ack", { method: "POST", body: ackBody(a) }))));
      }
      if (!readOnly && !a.silenced) {
        actions.append(button("Silence host", "Silence " + a.host + " for " + $("duration").value, b =>
          act(b, "Silence " + a.host, () => HB.api("api/silences", { method: "POST", body: silenceBody(a.host) }))));
      }
      const th = HB.el("th", "wrap", hostLink(a.host));
      th.scope = "row";
      return HB.el("tr", null, [th,
        HB.el("td", "status " + a.severity.toLowerCase(), a.severity),
        HB.el("td", "wrap", a.message),
        HB.el("td", "wide", HB.time(a.since)),
        HB.el("td", "wrap state", state.join(", ") || "active"),
        actions]);
    }));
  }

  function ackBody(alert) {
    const body = { host: alert.host, id: alert.id };
    const comment = $("comment").value.trim();
    if (comment) body.comment = comment;
    return body;
  }

  function silenceBody(host) {
    const body = { host, duration: $("duration").value };
    const reason = $("comment").value.trim();
    if (reason) body.reason = reason;
    return body;
  }

  function showSilences(silences) {
    $("silences-none").hidden = silences.length > 0;
    $("silences-table").hidden = silences.length === 0;
    $("silences").replaceChildren(...silences.map(s => {
      const th = HB.el("th", "wrap", s.host ? hostLink(s.host) : "every host");
      th.scope = "row";
      return HB.el("tr", null, [th, HB.el("td", null, HB.time(s.until)), HB.el("td", "wide", s.user || "\u2013"),
        HB.el("td", "wrap wide", s.reason || "\u2013"),
        HB.el("td", "actions", readOnly ? "\u2013" : button("Lift", "Lift the silence of " + (s.host || "every host"),
          b => act(b, "Lift the silence of " + (s.host || "every host"),
            () => HB.api("api/silences/" + encodeURIComponent(s.id), { method: "DELETE" }))))]);
    }));
  }

  const alerts = new Map();
  let silences = [];
  let socket = null;
  let known = false; // whether whoami has answered, so that the page knows whether it is read-only

  function draw() {
    if (!known) return;
    // redrawn only when something changed, so that keyboard focus and a pending click stay where they are
    const list = [...alerts.values()];
    const text = JSON.stringify([list, silences]);
    if (text === shown) return;
    shown = text;
    showAlerts(list);
    showSilences(silences);
  }

  HB.whoami().then(me => {
    readOnly = !!me && me.users_configured === false;
    $("actions").hidden = readOnly;
    known = true;
    draw();
  });

  refresh = HB.poll(async () => {
    const live = socket !== null && socket.live();
    const [list, current] = await Promise.all([live ? null : HB.api("api/alerts"),
      HB.api("api/silences").catch(() => [])]);
    return { list, current };
  }, ({ list, current }) => {
    silences = current;
    if (list && !socket.live()) {
      alerts.clear();
      for (const a of list) alerts.set(a.id, a);
    }
    draw();
  }, e => {
    $("summary").textContent = e.status === 401 ? "Sign in to see the alerts: the server has users."
      : e.status === 403 ? "You may not see these alerts." : "Cannot load the alerts (" + e.message + "); retrying.";
  }, 2000);

  socket = HB.live({
    snapshot(m) {
      alerts.clear();
      for (const a of m.alerts || []) alerts.set(a.id, a);
      draw();
    },
    event(e) {
      if (e.type === "alert") alerts.set(e.alert.id, e.alert);
      else if (e.type === "alert_cleared") alerts.delete(e.id);
    },
    batchEnd: draw,
  }, refresh, 2000, 10000);

  return { showAlerts, showSilences };
})();
