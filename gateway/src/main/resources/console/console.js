// Smart Gateway console: the admin API's resources, instances, held requests, tasks and events, kept live by
// its event stream. Plain JavaScript, no framework, no build step; everything it shows comes from the admin
// API (/admin/openapi.yaml) and is refetched when an event says it changed, never worked out here.
'use strict';

(() => {
  const TOKEN_KEY = 'smart-gateway.console.token';
  const MAX_TASKS = 50;
  const MAX_EVENTS = 100;
  /** Events arriving close together are one refetch: wait this long after the first. */
  const DEBOUNCE_MS = 200;
  /** More resources than this changed at once: one list call instead of one call each. */
  const MAX_RESOURCE_CALLS = 8;
  /** In-flight and held counts change without an event: refetched this often while the tab is visible. */
  const COUNTS_EVERY_MS = 5000;
  /** The stream sends a comment every 15 s: silence for this long means the connection is gone. */
  const SILENCE_MS = 45000;
  /** A dropped stream is made again after 1 s, then 2, 4 ... at most 15 s apart. */
  const RETRY_FIRST_MS = 1000;
  const RETRY_MAX_MS = 15000;
  /** A message that something was accepted stays this long; a problem stays until dismissed. */
  const INFO_FOR_MS = 15000;
  const LIVE_STATES = ['STARTING', 'WARMING', 'READY', 'DRAINING', 'STOPPING'];
  /** Stop drains a READY instance and cancels a start; a DRAINING one can still be forced. */
  const STOPPABLE = ['STARTING', 'WARMING', 'READY'];

  // The admin API is beside the console: /console/console.js -> /admin/... (also behind a path prefix).
  const root = new URL('../', document.currentScript.src);
  const api = (path) => new URL(path, root);

  const $ = (id) => document.getElementById(id);

  const state = {
    resources: new Map(), // name -> Resource (with its instances)
    tasks: [], // newest first
    events: [], // newest first, at most MAX_EVENTS
    eventKeys: new Set(),
    skewMs: 0, // the gateway's clock minus this browser's
    blocked: false, // waiting for a token
  };

  // ------------------------------------------------------------------ token (this tab's session only)

  const token = {
    get: () => sessionStorage.getItem(TOKEN_KEY),
    set: (value) => sessionStorage.setItem(TOKEN_KEY, value),
    forget: () => sessionStorage.removeItem(TOKEN_KEY),
  };

  function headers(extra) {
    const out = Object.assign({ Accept: 'application/json' }, extra);
    const t = token.get();
    if (t) out.Authorization = 'Bearer ' + t;
    return out;
  }

  function showForget() {
    $('forget').hidden = !token.get();
  }

  /** The API answered 401: stop everything and ask for the token. */
  function askForToken(problem) {
    if (state.blocked) return; // several calls were refused at once: one question
    const hadOne = Boolean(token.get());
    token.forget();
    state.blocked = true;
    stream.stop();
    clearData();
    setLink('token', 'Token needed');
    $('token-why').textContent = hadOne
      ? 'The gateway refused the token' + (problem && problem.detail ? ': ' + problem.detail : '') + '. Enter the admin token.'
      : 'The admin API asks for a bearer token (admin.tokenFile or admin.tokenEnv of the gateway).';
    const panel = $('token-panel');
    const wasHidden = panel.hidden;
    panel.hidden = false;
    showForget();
    if (wasHidden) $('token').focus();
  }

  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const value = $('token').value.trim();
    if (!value) return;
    token.set(value);
    $('token').value = '';
    $('token-panel').hidden = true;
    showForget();
    begin();
  });

  $('forget').addEventListener('click', () => {
    token.forget();
    stream.stop();
    clearData();
    showForget();
    notice('info', 'Token forgotten', 'This tab no longer holds the admin token.');
    begin();
  });

  // ------------------------------------------------------------------ calls and problems

  class ApiError extends Error {
    constructor(status, problem) {
      super((problem && (problem.detail || problem.title)) || 'HTTP ' + status);
      this.status = status;
      this.problem = problem || { title: 'HTTP ' + status };
    }
  }

  async function readProblem(res) {
    const text = await res.text().catch(() => '');
    try {
      return JSON.parse(text);
    } catch {
      return { title: res.statusText || 'HTTP ' + res.status, status: res.status, detail: text.slice(0, 500) };
    }
  }

  async function call(method, path, body) {
    let res;
    try {
      res = await fetch(api(path), {
        method,
        headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch (err) {
      throw new ApiError(0, { title: 'The gateway did not answer', detail: String(err && err.message || err) });
    }
    if (res.status === 401) {
      const problem = await readProblem(res);
      askForToken(problem);
      throw new ApiError(401, problem);
    }
    if (!res.ok) throw new ApiError(res.status, await readProblem(res));
    return res.status === 204 ? null : res.json();
  }

  // ------------------------------------------------------------------ notices (errors shown to the operator)

  /** A message at the top; problems (problem+json) with their type, detail and every invalid key. */
  function notice(kind, title, detail, problem) {
    const box = el('div', { class: 'notice' + (kind === 'problem' ? ' problem' : ''), role: kind === 'problem' ? 'alert' : undefined });
    const text = el('div', { class: 'text' });
    text.append(el('strong', {}, title));
    if (detail) text.append(' ', detail);
    if (problem && problem.type) {
      text.append(' ', el('code', {}, '(' + (problem.status || '') + ' ' + problem.type.replace('urn:smart-gateway:problem:', '') + ')'));
    }
    if (problem && Array.isArray(problem.errors) && problem.errors.length) {
      const list = el('ul');
      for (const e of problem.errors) list.append(el('li', {}, el('code', {}, e.key), ': ', e.reason));
      text.append(list);
    }
    const dismiss = el('button', { type: 'button', class: 'quiet', 'aria-label': 'Dismiss: ' + title }, 'Dismiss');
    dismiss.addEventListener('click', () => box.remove());
    box.append(text, dismiss);
    const area = $('notices');
    area.prepend(box);
    if (kind !== 'problem') setTimeout(() => box.remove(), INFO_FOR_MS);
    while (area.children.length > 5) area.lastElementChild.remove();
    return box;
  }

  function problemNotice(what, err) {
    if (err instanceof ApiError && err.status === 401) return; // the token form says it
    const p = err instanceof ApiError ? err.problem : { title: String(err) };
    notice('problem', what + ': ' + (p.title || 'failed'), p.detail, p);
  }

  // ------------------------------------------------------------------ DOM helpers

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) node.append(c instanceof Node ? c : String(c ?? ''));
    return node;
  }

  function badge(value) {
    return el('span', { class: 'state', 'data-state': value }, value);
  }

  function time(ms) {
    if (!ms) return '–';
    const d = new Date(ms);
    const today = new Date().toDateString() === d.toDateString();
    const text = today ? d.toLocaleTimeString([], { hour12: false })
      : d.toLocaleDateString([], { month: 'short', day: 'numeric' }) + ' ' + d.toLocaleTimeString([], { hour12: false });
    return el('time', { datetime: d.toISOString(), title: d.toISOString() }, text);
  }

  function duration(ms) {
    if (ms === null || ms === undefined || ms < 0) return '–';
    if (ms < 1000) return ms + ' ms';
    const s = Math.floor(ms / 1000);
    if (s < 60) return (ms / 1000).toFixed(s < 10 ? 1 : 0) + ' s';
    const m = Math.floor(s / 60);
    if (m < 60) return m + 'm ' + String(s % 60).padStart(2, '0') + 's';
    const h = Math.floor(m / 60);
    if (h < 48) return h + 'h ' + String(m % 60).padStart(2, '0') + 'm';
    return Math.floor(h / 24) + 'd ' + (h % 24) + 'h';
  }

  const groups = (list) => (list && list.length ? list.join(', ') : '–');
  const serverNow = () => Date.now() + state.skewMs;

  /** Sets a cell's content (text or nodes) only if it changed, so a screen reader is not told twice. */
  function setCell(td, content, title) {
    const key = content instanceof Node ? content.outerHTML : String(content);
    if (td.dataset.v !== key) {
      td.dataset.v = key;
      td.replaceChildren(content instanceof Node ? content : String(content));
    }
    if (title) td.title = title; else td.removeAttribute('title');
  }

  /**
   * Keeps a table's rows in step with a list, by key: rows that stay are updated in place (a focused button
   * keeps its focus), new ones are made, gone ones removed.
   */
  function syncRows(table, items, keyOf, make, fill) {
    const tbody = table.tBodies[0];
    const existing = new Map();
    for (const tr of Array.from(tbody.rows)) existing.set(tr.dataset.key, tr);
    let i = 0;
    for (const item of items) {
      const key = keyOf(item);
      let tr = existing.get(key);
      if (tr) {
        existing.delete(key);
      } else {
        tr = make(item);
        tr.dataset.key = key;
      }
      fill(tr, item);
      if (tbody.rows[i] !== tr) tbody.insertBefore(tr, tbody.rows[i] || null);
      i++;
    }
    for (const tr of existing.values()) {
      const hadFocus = tr.contains(document.activeElement);
      tr.remove();
      if (hadFocus) table.closest('section').querySelector('h2').focus();
    }
    const empty = document.querySelector('[data-empty-for="' + table.id + '"]');
    if (empty) empty.hidden = items.length > 0;
  }

  function cells(tr, n, classes) {
    for (let i = 0; i < n; i++) tr.append(el('td', { class: classes[i] || undefined }));
    return tr;
  }

  // ------------------------------------------------------------------ rendering

  function instances() {
    const out = [];
    for (const r of state.resources.values()) out.push(...r.instances);
    out.sort((a, b) => a.resource.localeCompare(b.resource) || a.createdAt - b.createdAt);
    return out;
  }

  function renderInstances() {
    const list = instances();
    syncRows($('instances'), list, (i) => i.ref, (i) => {
      const tr = cells(el('tr'), 10, { 1: 'wrap', 2: 'id', 4: 'num', 5: 'num', 6: 'num', 7: 'num', 8: 'mono', 9: 'actions' });
      ['resource', 'groups', 'instance', 'state', 'age', 'ready-after', 'in-flight', 'held', 'endpoint', 'actions']
        .forEach((name, k) => { tr.cells[k].dataset.col = name; });
      const stop = el('button', { type: 'button', 'data-action': 'stop' }, 'Stop');
      const force = el('button', { type: 'button', 'data-action': 'force-stop', class: 'danger' }, 'Force stop');
      stop.addEventListener('click', () => stopInstance(tr.dataset.key, false, tr.dataset.label));
      force.addEventListener('click', () => stopInstance(tr.dataset.key, true, tr.dataset.label));
      tr.cells[9].append(stop, force);
      return tr;
    }, (tr, i) => {
      const label = i.resource + ' ' + (i.instanceId || i.ref);
      tr.dataset.resource = i.resource;
      tr.dataset.state = i.state;
      tr.dataset.label = label;
      tr.dataset.created = i.createdAt;
      setCell(tr.cells[0], i.resource);
      setCell(tr.cells[1], groups(i.groups));
      const id = el('span', {}, i.instanceId || '(no cloud id yet)');
      setCell(tr.cells[2], i.ref === i.instanceId ? id : el('span', {}, id, el('small', {}, i.ref)));
      setCell(tr.cells[3], badge(i.state));
      setCell(tr.cells[4], duration(serverNow() - i.createdAt), 'since ' + new Date(i.createdAt).toISOString());
      setCell(tr.cells[5], i.readyAt ? duration(i.readyAt - i.createdAt) : '–');
      setCell(tr.cells[6], i.inFlight);
      setCell(tr.cells[7], i.waiting);
      setCell(tr.cells[8], i.endpoint || '–');
      const [stop, force] = tr.cells[9].children;
      const stoppable = STOPPABLE.includes(i.state);
      stop.disabled = !stoppable;
      force.disabled = !(stoppable || i.state === 'DRAINING');
      stop.setAttribute('aria-label', (i.state === 'STARTING' || i.state === 'WARMING' ? 'Stop (cancels the start of) ' : 'Stop ') + label);
      force.setAttribute('aria-label', 'Force stop ' + label + ' (no draining)');
    });
  }

  function renderResources() {
    const list = Array.from(state.resources.values()).sort((a, b) => a.name.localeCompare(b.name));
    syncRows($('resources'), list, (r) => r.name, (r) => {
      const tr = cells(el('tr'), 7, { 0: 'mono', 3: 'num', 4: 'num', 5: 'wrap', 6: 'actions' });
      const warm = el('button', { type: 'button', 'data-action': 'prewarm' }, 'Pre-warm…');
      warm.addEventListener('click', () => {
        $('start-resource').value = tr.dataset.key;
        $('start-groups').focus();
      });
      tr.cells[6].append(warm);
      return tr;
    }, (tr, r) => {
      const counts = {};
      for (const i of r.instances) counts[i.state] = (counts[i.state] || 0) + 1;
      const summary = Object.keys(counts).length
        ? el('span', {}, ...Object.entries(counts).flatMap(([s, n], k) => [k ? ' ' : '', badge(s), ' ×' + n]))
        : '–';
      setCell(tr.cells[0], r.name);
      setCell(tr.cells[1], r.source);
      setCell(tr.cells[2], summary);
      setCell(tr.cells[3], r.waiting);
      setCell(tr.cells[4], r.settings && r.settings.idleTimeout || '–');
      const f = r.lastFailure;
      setCell(tr.cells[5], f ? el('span', {}, time(f.at), ' ', el('span', { class: 'error-text' }, f.reason)) : '–');
      tr.cells[6].firstChild.setAttribute('aria-label', 'Pre-warm ' + r.name + '…');
    });
    const names = $('resource-names');
    const known = list.map((r) => r.name).join('\n');
    if (names.dataset.v !== known) {
      names.dataset.v = known;
      names.replaceChildren(...list.map((r) => el('option', { value: r.name })));
    }
  }

  function renderHeld() {
    const list = Array.from(state.resources.values())
      .filter((r) => r.waiting > 0 || r.instances.some((i) => i.waiting > 0))
      .sort((a, b) => b.waiting - a.waiting || a.name.localeCompare(b.name));
    syncRows($('held'), list, (r) => r.name, () => cells(el('tr'), 3, { 0: 'mono', 1: 'num', 2: 'wrap' }), (tr, r) => {
      setCell(tr.cells[0], r.name);
      setCell(tr.cells[1], r.waiting);
      const per = r.instances.filter((i) => i.waiting > 0).map((i) => (i.instanceId || i.ref) + ': ' + i.waiting);
      setCell(tr.cells[2], per.length ? per.join(', ') : '–');
    });
  }

  function renderTasks() {
    syncRows($('tasks'), state.tasks, (t) => t.id, () => {
      const tr = cells(el('tr'), 10, { 5: 'wrap', 6: 'id', 7: 'num', 8: 'wrap', 9: 'actions' });
      const cancel = el('button', { type: 'button', 'data-action': 'cancel' }, 'Cancel');
      cancel.addEventListener('click', () => cancelTask(tr.dataset.key));
      tr.cells[9].append(cancel);
      return tr;
    }, (tr, t) => {
      tr.dataset.state = t.state;
      tr.dataset.kind = t.kind;
      tr.dataset.resource = t.resource;
      setCell(tr.cells[0], time(t.createdAt));
      setCell(tr.cells[1], t.kind);
      setCell(tr.cells[2], t.origin);
      setCell(tr.cells[3], badge(t.state));
      setCell(tr.cells[4], t.resource);
      setCell(tr.cells[5], groups(t.groups));
      setCell(tr.cells[6], t.instanceId || t.ref, t.id);
      const over = !(t.state === 'pending' || t.state === 'running');
      setCell(tr.cells[7], over ? duration(t.updatedAt - t.createdAt) : '…');
      const steps = (t.steps || []).map((s) => s.name + (s.detail ? ' (' + s.detail + ')' : '')).join(' → ');
      setCell(tr.cells[8], t.error ? el('span', { class: 'error-text' }, t.error) : (t.result || '–'), steps || undefined);
      const cancel = tr.cells[9].firstChild;
      cancel.hidden = !(t.kind === 'start' && !over);
      cancel.setAttribute('aria-label', 'Cancel the start of ' + t.resource + ' ' + (t.instanceId || t.ref));
    });
  }

  function eventDetail(e) {
    if (!e.detail) return '–';
    return Object.entries(e.detail).map(([k, v]) => k + ' ' + v).join(', ');
  }

  function renderEvents() {
    syncRows($('events'), state.events, eventKey, () => cells(el('tr'), 9, { 5: 'id', 7: 'wrap', 8: 'wrap' }), (tr, e) => {
      setCell(tr.cells[0], time(e.at));
      setCell(tr.cells[1], e.category);
      setCell(tr.cells[2], e.category === 'task' ? badge(e.type) : e.type);
      setCell(tr.cells[3], e.resource);
      setCell(tr.cells[4], groups(e.groups));
      setCell(tr.cells[5], e.instanceId || e.ref, e.taskId || e.ref);
      setCell(tr.cells[6], (e.from || '∅') + ' → ' + e.to);
      setCell(tr.cells[7], e.reason || '–');
      setCell(tr.cells[8], eventDetail(e));
    });
  }

  function renderSummary() {
    const all = instances();
    const byState = {};
    for (const i of all) byState[i.state] = (byState[i.state] || 0) + 1;
    const parts = LIVE_STATES.concat(['STOPPED', 'FAILED']).filter((s) => byState[s]).map((s) => byState[s] + ' ' + s);
    $('sum-resources').textContent = state.resources.size;
    $('sum-instances').textContent = all.length + (parts.length ? ' (' + parts.join(', ') + ')' : '');
    $('sum-held').textContent = Array.from(state.resources.values()).reduce((n, r) => n + r.waiting, 0);
    $('sum-tasks').textContent = state.tasks.filter((t) => t.state === 'running' || t.state === 'pending').length;
  }

  function renderState() {
    renderInstances();
    renderResources();
    renderHeld();
    renderSummary();
  }

  function clearData() {
    state.resources = new Map();
    state.tasks = [];
    state.events = [];
    state.eventKeys = new Set();
    renderState();
    renderTasks();
    renderEvents();
    for (const id of ['sum-resources', 'sum-instances', 'sum-held', 'sum-tasks']) $(id).textContent = '–';
  }

  /** Age cells tick every second without a call. */
  setInterval(() => {
    for (const tr of $('instances').tBodies[0].rows) {
      const age = tr.cells[4];
      if (age) setCell(age, duration(serverNow() - Number(tr.dataset.created)), age.title);
    }
  }, 1000);

  // ------------------------------------------------------------------ reading the API

  /** The gateway's clock, from an instance's createdAt + ageMs (the age as of the answer). */
  function learnClock(resources) {
    for (const r of resources) {
      for (const i of r.instances) {
        state.skewMs = i.createdAt + i.ageMs - Date.now();
        return;
      }
    }
  }

  async function loadResources() {
    const body = await call('GET', 'admin/resources');
    learnClock(body.resources);
    state.resources = new Map(body.resources.map((r) => [r.name, r]));
  }

  async function loadResource(name) {
    try {
      const r = await call('GET', 'admin/resources/' + encodeURIComponent(name));
      learnClock([r]);
      state.resources.set(name, r);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) state.resources.delete(name);
      else throw err;
    }
  }

  async function loadTasks() {
    const body = await call('GET', 'admin/tasks?limit=' + MAX_TASKS);
    state.tasks = body.tasks;
  }

  /**
   * The newest MAX_EVENTS entries of the stored history. The API pages oldest first, so it reads a recent
   * window to its end, and a wider one only if that held too few (bounded: at most 10 pages a window; a
   * window with more keeps the narrower one's entries, which are the newest).
   */
  async function loadHistory() {
    let best = null;
    for (const minutes of [1, 10, 6 * 60, 30 * 24 * 60]) {
      const since = Math.max(0, serverNow() - minutes * 60000);
      let got = [];
      let next = '';
      let pages = 0;
      let capped = false;
      for (;;) {
        const body = await call('GET', 'admin/events?limit=1000&since=' + since + (next ? '&' + next : ''));
        got = got.concat(body.events).slice(-MAX_EVENTS);
        if (!body.next) break;
        if (++pages >= 10) {
          capped = true;
          break;
        }
        next = body.next;
      }
      if (capped && best !== null) break;
      best = got;
      if (capped) break;
      if (got.length >= MAX_EVENTS) break;
    }
    for (const e of best || []) addEvent(e, false);
  }

  /** Live entries carry no store id yet: one entry is the same one by what it says. */
  function eventKey(e) {
    return [e.category, e.type, e.ref, e.taskId || '', e.at, e.from || '', e.to].join('|');
  }

  function addEvent(e, render) {
    const key = eventKey(e);
    if (state.eventKeys.has(key)) return;
    state.eventKeys.add(key);
    state.events.unshift(e); // newest first; the sort keeps arrival order among equal times
    state.events.sort((a, b) => b.at - a.at);
    while (state.events.length > MAX_EVENTS) state.eventKeys.delete(eventKey(state.events.pop()));
    if (render) renderEvents();
  }

  /** Everything again: on (re)connecting, or when too much changed at once. */
  async function loadAll() {
    const read = await Promise.allSettled([loadResources(), loadTasks()]);
    renderState();
    renderTasks();
    for (const r of read) if (r.status === 'rejected') problemNotice('Reading the admin API', r.reason);
    try {
      await loadHistory();
    } catch (err) {
      problemNotice('Reading the event history', err);
    }
    renderEvents();
  }

  // ------------------------------------------------------------------ live: debounced, bounded refetches

  const dirty = { resources: new Set(), all: false, tasks: false };
  let flushTimer = null;
  let flushing = false;

  function schedule() {
    if (flushTimer === null && !flushing && !state.blocked) flushTimer = setTimeout(flush, DEBOUNCE_MS);
  }

  /** One refetch at a time: what changed meanwhile waits for the next. */
  async function flush() {
    flushTimer = null;
    flushing = true;
    const names = Array.from(dirty.resources);
    const all = dirty.all || names.length > MAX_RESOURCE_CALLS;
    const tasks = dirty.tasks;
    dirty.resources.clear();
    dirty.all = false;
    dirty.tasks = false;
    try {
      const calls = all ? [loadResources()] : names.map(loadResource);
      if (tasks) calls.push(loadTasks());
      await Promise.all(calls);
      renderState();
      if (tasks) renderTasks();
    } catch (err) {
      problemNotice('Refreshing', err);
    } finally {
      flushing = false;
      if (dirty.all || dirty.tasks || dirty.resources.size) schedule();
    }
  }

  function onEvent(e) {
    addEvent(e, true);
    if (e.resource) dirty.resources.add(e.resource);
    if (e.category === 'task') dirty.tasks = true;
    schedule();
    const what = e.category === 'task'
      ? (e.detail && e.detail.kind || 'task') + ' of ' + e.resource + ' ' + e.to
      : e.resource + ' ' + (e.instanceId || e.ref) + ' ' + (e.from ? e.from + ' → ' : '') + e.to;
    $('updated').textContent = new Date(e.at).toLocaleTimeString([], { hour12: false }) + ' ' + what;
  }

  setInterval(() => {
    if (document.visibilityState === 'visible' && !state.blocked && stream.live) {
      dirty.all = true;
      schedule();
    }
  }, COUNTS_EVERY_MS);

  // ------------------------------------------------------------------ the event stream (fetch, not EventSource)

  function setLink(kind, text) {
    const link = $('link');
    if (link.dataset.link !== kind || link.textContent !== text) {
      link.dataset.link = kind;
      link.textContent = text;
    }
  }

  /**
   * /admin/events/stream read with fetch() (EventSource cannot send an Authorization header), parsed as
   * server-sent events; after a drop it reconnects with Last-Event-ID (what was missed is replayed) and
   * reads the state again.
   */
  const stream = {
    controller: null,
    lastId: null,
    retryMs: RETRY_FIRST_MS,
    retryTimer: null,
    heardAt: 0,
    live: false,

    stop() {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.live = false;
      if (this.controller) this.controller.abort();
      this.controller = null;
      this.lastId = null;
    },

    retry(why, afterMs) {
      this.live = false;
      const wait = Math.min(afterMs || this.retryMs, RETRY_MAX_MS);
      this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
      setLink('down', why + ' — reconnecting in ' + Math.round(wait / 1000) + ' s');
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.connect(), wait);
    },

    async connect() {
      this.retryTimer = null;
      if (this.controller) this.controller.abort();
      const controller = new AbortController();
      this.controller = controller;
      const extra = { Accept: 'text/event-stream' };
      if (this.lastId !== null) extra['Last-Event-ID'] = this.lastId;
      setLink('connecting', this.lastId === null ? 'Connecting…' : 'Reconnecting…');
      let res;
      try {
        res = await fetch(api('admin/events/stream'), {
          headers: headers(extra), signal: controller.signal, cache: 'no-store', credentials: 'omit',
        });
      } catch (err) {
        if (!controller.signal.aborted) this.retry('The gateway did not answer');
        return;
      }
      if (res.status === 401) {
        askForToken(await readProblem(res));
        return;
      }
      if (!res.ok) {
        const problem = await readProblem(res);
        const after = Number(res.headers.get('Retry-After')) * 1000;
        this.retry('Event stream refused (' + res.status + ' ' + (problem.title || '') + ')', after || undefined);
        return;
      }
      this.retryMs = RETRY_FIRST_MS;
      this.live = true;
      this.heardAt = Date.now();
      setLink('live', 'Live');
      loadAll();
      try {
        await this.read(res.body, controller);
      } catch (err) {
        // the connection dropped (or was aborted): handled below
      }
      if (controller.signal.aborted || this.controller !== controller) return;
      this.retry('The event stream ended');
    },

    async read(body, controller) {
      const reader = body.pipeThrough(new TextDecoderStream()).getReader();
      controller.signal.addEventListener('abort', () => reader.cancel().catch(() => {}));
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        this.heardAt = Date.now();
        buffer += value;
        // Frames end with a blank line; lines end with LF, CRLF or CR (a CR at the end may be half a CRLF).
        let end = buffer.endsWith('\r') ? buffer.length - 1 : buffer.length;
        const text = buffer.slice(0, end).replace(/\r\n?/g, '\n');
        buffer = text + buffer.slice(end);
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          this.dispatch(frame);
        }
        if (buffer.length > (1 << 20)) throw new Error('an event of more than 1 MiB');
      }
    },

    dispatch(frame) {
      let data = null;
      let type = 'message';
      for (const line of frame.split('\n')) {
        if (line === '' || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'data') data = data === null ? value : data + '\n' + value;
        else if (field === 'event') type = value;
        else if (field === 'id' && !value.includes('\0')) this.lastId = value;
      }
      if (data === null || (type !== 'lifecycle' && type !== 'task')) return;
      try {
        onEvent(JSON.parse(data));
      } catch (err) {
        console.warn('console: an event it cannot read', err, data);
      }
    },
  };

  // A connection that went silent (no keep-alive for SILENCE_MS) is dropped and made again.
  setInterval(() => {
    if (stream.live && Date.now() - stream.heardAt > SILENCE_MS && stream.controller) {
      stream.controller.abort();
      stream.controller = null;
      stream.retry('The event stream went silent');
    }
  }, 5000);

  // ------------------------------------------------------------------ actions

  async function act(what, method, path, body) {
    try {
      const answer = await call(method, path, body);
      const task = answer && answer.id ? ' (task ' + answer.id + ')' : '';
      notice('info', what + ': accepted', task ? 'Task ' + answer.id + ', ' + answer.state + '.' : '');
      dirty.tasks = true;
      if (answer && answer.resource) dirty.resources.add(answer.resource);
      schedule();
      return answer;
    } catch (err) {
      problemNotice(what, err);
      return null;
    }
  }

  function stopInstance(ref, force, label) {
    if (force && !window.confirm('Stop ' + label + ' at once, without letting its requests finish?')) return;
    act((force ? 'Force stop of ' : 'Stop of ') + label, 'POST',
      'admin/instances/' + encodeURIComponent(ref) + '/stop' + (force ? '?force=true' : ''));
  }

  function cancelTask(id) {
    act('Cancel of task ' + id, 'POST', 'admin/tasks/' + encodeURIComponent(id) + '/cancel');
  }

  $('start-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const resource = $('start-resource').value.trim();
    const list = $('start-groups').value.split(/[\s,]+/).filter(Boolean);
    const result = $('start-result');
    result.textContent = 'Sending the start of ' + resource + '…';
    const answer = await act('Start of ' + resource + ' for ' + list.join(', '), 'POST',
      'admin/resources/' + encodeURIComponent(resource) + '/start', { groups: list });
    result.textContent = answer
      ? 'Accepted' + (answer.id ? ': task ' + answer.id : '') + '.'
      : 'Refused: see the message at the top.';
  });

  // ------------------------------------------------------------------ start

  function begin() {
    state.blocked = false;
    stream.stop();
    stream.retryMs = RETRY_FIRST_MS;
    stream.connect();
  }

  // A fault of the console itself is shown like any problem, not left in the developer tools.
  window.addEventListener('error', (e) => notice('problem', 'The console failed', String(e.message)));
  window.addEventListener('unhandledrejection', (e) => {
    if (!(e.reason instanceof ApiError)) notice('problem', 'The console failed', String(e.reason));
  });

  showForget();
  begin();
})();
