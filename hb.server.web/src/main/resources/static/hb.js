// Heartbeat's pages: what every page shares. No framework and no build: plain scripts, loaded as files so that
// the pages work under Content-Security-Policy: default-src 'self'.
//
// Data reaches the pages through two "sources": HB.live, a WebSocket to /ws that pushes a snapshot and then batches of
// changes (docs/HTTP_API.md, "Live updates"), and HB.poll, which asks the JSON API every two seconds while the socket
// is down (after a restart of hbd, say) and slowly, for what is not pushed, while it is up. The render functions of
// each page take plain API objects (a host as GET /api/hosts/NAME answers it, the list of alerts as GET /api/alerts
// answers it), whichever source delivered them.
//
// Every page also shows who is signed in (with a logout button), or, without users configured, a banner saying that
// the dashboard is read-only; HB.whoami() tells the page which, and pages leave out their action buttons then.
"use strict";

const HB = (() => {
  // The pages' root: this script lives at ROOT/static/hb.js, whatever base path a reverse proxy adds.
  const ROOT = new URL("..", document.currentScript.src);

  /** An API failure: the HTTP status (0 when the server could not be reached) and the API's error message. */
  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  let csrf = null;
  let whoamiAsked = null;

  /** Reads the session's CSRF token once, where the server has GET /api/whoami; a 404 means there is none. */
  function whoami() {
    if (!whoamiAsked) {
      whoamiAsked = fetch(new URL("api/whoami", ROOT), { cache: "no-store", credentials: "same-origin" })
        .then(r => r.ok ? r.json() : null)
        .then(body => {
          if (body) csrf = body.csrf_token || body.csrf || null;
          return body;
        })
        .catch(() => null);
    }
    return whoamiAsked;
  }

  /** Calls the API at ROOT/PATH; answers the parsed JSON body (null for 204) or throws an ApiError. */
  async function api(path, options) {
    const init = Object.assign({ cache: "no-store", credentials: "same-origin" }, options || {});
    init.headers = Object.assign({ "Accept": "application/json" }, init.headers || {});
    if (init.body !== undefined && typeof init.body !== "string") {
      init.body = JSON.stringify(init.body);
      init.headers["Content-Type"] = "application/json";
    }
    if (init.method && init.method !== "GET") {
      await whoami();
      if (csrf) init.headers["X-CSRF-Token"] = csrf;
    }
    let response;
    try {
      response = await fetch(new URL(path, ROOT), init);
    } catch (e) {
      throw new ApiError(0, "cannot reach the server (" + e.message + ")");
    }
    if (response.status === 204) return null;
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (!response.ok) {
      throw new ApiError(response.status, (body && body.error) || "HTTP " + response.status);
    }
    return body;
  }

  /**
   * Shows the outcome of something the user asked for in the paragraph p: a status message, or an alert when it
   * failed, so that screen readers announce it either way.
   */
  function outcome(p, text, error) {
    p.hidden = false;
    p.className = "notice" + (error ? " error" : "");
    p.setAttribute("role", error ? "alert" : "status");
    p.textContent = text;
  }

  /** A message for a failed call the user asked for, naming what to do about 401 and 403. */
  function explain(error, what) {
    if (error.status === 401) {
      return what + ": not signed in. The server has users: sign in (or use an API token) and try again.";
    }
    if (error.status === 403) {
      return what + ": not allowed. Only an admin or the host's owner may do this (" + error.message + ").";
    }
    return what + " failed: " + error.message;
  }

  /**
   * Calls load() now and every periodMs after the previous call ended, while the page is visible, and hands
   * its result to render, or its error to fail; the first call after firstMs when given (a page whose WebSocket
   * usually answers first). Answers a function that loads again at once; its setPeriod(ms) changes the period (0: no
   * more loads until the period is set again, though calling it still loads once).
   */
  function poll(load, render, fail, periodMs, firstMs) {
    let timer = null;
    let period = periodMs;
    let running = false;
    async function run() {
      clearTimeout(timer);
      timer = null;
      running = true;
      try {
        render(await load());
      } catch (e) {
        fail(e);
      }
      running = false;
      if (period > 0 && timer === null) timer = setTimeout(run, document.hidden ? period * 5 : period);
    }
    run.setPeriod = ms => {
      if (ms === period) return;
      period = ms;
      clearTimeout(timer);
      timer = null;
      if (period > 0 && !running) timer = setTimeout(run, document.hidden ? period * 5 : period);
    };
    document.addEventListener("visibilitychange", () => { if (!document.hidden && period > 0) run(); });
    if (firstMs > 0) timer = setTimeout(run, firstMs);
    else run();
    return run;
  }

  // ---- the WebSocket source ----

  const STATES = {
    connecting: ["connecting", "Connecting to live updates\u2026"],
    live: ["live", "Live: updates are pushed as they happen."],
    polling: ["polling", "Live updates are disconnected: reloading every 2 s while reconnecting."],
  };

  /** Shows the connection's state in the page's #conn element (data-state: connecting, live or polling). */
  function showConnection(state) {
    const e = document.getElementById("conn");
    if (!e) return;
    const [word, title] = STATES[state];
    e.dataset.state = state;
    e.textContent = word;
    e.title = title;
  }

  /**
   * Follows the server's live updates on ROOT/ws (ws: or wss: as the page came), feeding the page's handlers:
   * snapshot(message) with the whole state, then event(e) for each change of each batch in order, and batchEnd()
   * after each batch. While the socket is down the page's poller (HB.poll's answer) loads every pollMs; while it is
   * up, every liveMs (0: not at all), for what the socket does not push. After a close (hbd restarted, the network
   * gone) it reconnects by itself, 0.5 s after the first failure, doubling up to 10 s, each delay jittered by up to
   * a half, and starts again from the snapshot. Runs on the page's only thread; answers {live()}, whether the
   * socket is up, so that a page can drop a poll's answer that arrives after the snapshot.
   */
  function live(handlers, poller, pollMs, liveMs) {
    const url = new URL("ws", ROOT);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    let delay = 500;
    let socket = null;
    let up = false;

    function connect() {
      showConnection(socket === null ? "connecting" : "polling");
      let s;
      try {
        s = new WebSocket(url.href);
      } catch (e) {
        retry();
        return;
      }
      socket = s;
      let opened = false;
      s.onmessage = m => {
        let message;
        try {
          message = JSON.parse(m.data);
        } catch (e) {
          return;
        }
        if (message.type === "snapshot") {
          if (!opened) {
            opened = true;
            up = true;
            delay = 500;
            poller.setPeriod(liveMs);
            showConnection("live");
          }
          handlers.snapshot(message);
        } else if (message.type === "batch" && opened) {
          for (const e of message.events || []) handlers.event(e);
          if (handlers.batchEnd) handlers.batchEnd();
        }
      };
      s.onclose = () => {
        up = false;
        if (opened) {
          poller.setPeriod(pollMs);
          poller();
        }
        retry();
      };
    }

    function retry() {
      showConnection("polling");
      poller.setPeriod(pollMs);
      const wait = delay * (0.5 + Math.random() / 2);
      delay = Math.min(10000, delay * 2);
      setTimeout(connect, wait);
    }

    if (typeof WebSocket === "undefined") {
      showConnection("polling");
      return { live: () => false };
    }
    connect();
    return { live: () => up };
  }

  // ---- who is signed in ----

  /**
   * Shows the page's header: without users a read-only banner (#readonly); with a session the user's name and a
   * logout button (a form posting the session's CSRF token to ROOT/logout) in #who. Answers whoami's promise.
   */
  function header() {
    return whoami().then(me => {
      const readOnly = document.getElementById("readonly");
      if (me && me.users_configured === false && readOnly) {
        readOnly.hidden = false;
      }
      const who = document.getElementById("who");
      if (me && me.user && who) {
        const form = el("form", "logout");
        form.method = "post";
        form.action = new URL("logout", ROOT).href;
        const field = el("input");
        field.type = "hidden";
        field.name = "csrf";
        field.value = csrf || "";
        const button = el("button", "action", "Log out");
        button.type = "submit";
        form.append(field, button);
        who.replaceChildren(el("span", "user", me.user + (me.admin ? " (admin)" : "")), " ", form);
      }
      return me;
    });
  }

  /** Whether the pages must not offer actions: the server has no users (whoami says so). */
  async function readOnly() {
    const me = await whoami();
    return !!me && me.users_configured === false;
  }

  /** A host name as one path segment: percent-encoded, with "." and ".." written out so they stay names. */
  function segment(name) {
    if (name === "." || name === "..") return name.replace(/\./g, "%2E");
    return encodeURIComponent(name);
  }

  function ago(iso, now) {
    if (!iso) return "never";
    const s = Math.max(0, ((now || Date.now()) - Date.parse(iso)) / 1000);
    if (s < 60) return Math.round(s) + " s ago";
    if (s < 3600) return Math.round(s / 60) + " min ago";
    if (s < 86400) return Math.round(s / 3600) + " h ago";
    return Math.round(s / 86400) + " d ago";
  }

  function time(iso) {
    return iso ? new Date(iso).toLocaleString() : "\u2013";
  }

  function ms(v) {
    return v == null ? "\u2013" : (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v)) + " ms";
  }

  function seconds(v) {
    return v == null ? "\u2013" : v + " s";
  }

  function bytes(v) {
    if (v == null) return "\u2013";
    const units = ["B", "KB", "MB", "GB", "TB", "PB"];
    let i = 0;
    while (Math.abs(v) >= 1000 && i < units.length - 1) { v /= 1000; i++; }
    return (i === 0 ? Math.round(v) : v.toFixed(v < 10 ? 2 : 1)) + " " + units[i];
  }

  /** An element with a class and text, or children. */
  function el(tag, className, content) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (content instanceof Node) e.append(content);
    else if (Array.isArray(content)) e.append(...content);
    else if (content != null) e.textContent = content;
    return e;
  }

  const SVG = "http://www.w3.org/2000/svg";

  /** An inline SVG sparkline of numbers, with its values described for screen readers. */
  function sparkline(values) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "spark");
    svg.setAttribute("viewBox", "0 0 64 18");
    svg.setAttribute("preserveAspectRatio", "none");
    svg.setAttribute("aria-hidden", "true");
    updateSparkline(svg, values);
    return svg;
  }

  function updateSparkline(svg, values) {
    let line = svg.firstChild;
    if (!line) {
      line = document.createElementNS(SVG, "polyline");
      svg.append(line);
    }
    const v = (values || []).filter(x => x != null);
    if (v.length < 2) {
      line.setAttribute("points", "");
      return;
    }
    const min = Math.min(...v), max = Math.max(...v), span = max - min || 1;
    line.setAttribute("points", v.map((x, i) =>
      (i * 64 / (v.length - 1)).toFixed(1) + "," + (17 - (x - min) / span * 16).toFixed(1)).join(" "));
  }

  /** Colours for charts, readable on light and dark backgrounds. */
  const PALETTE = ["#0969da", "#cf222e", "#1a7f37", "#9a6700", "#8250df", "#bf3989"];

  function dark() {
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", header);
  else header();

  return { ROOT, ApiError, api, explain, outcome, poll, live, whoami, readOnly, segment, ago, time, ms, seconds, bytes, el, sparkline,
    updateSparkline, PALETTE, dark };
})();
