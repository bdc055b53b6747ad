// The ferry dashboard: polls /dashboard.json and redraws. Every value from the proxy reaches the
// page through textContent or setAttribute, never as markup: call details are the clients' text.
'use strict';
(function () {
  const POLL_MS = 2000;
  const SVG = 'http://www.w3.org/2000/svg';

  function el(tag, className, ...children) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    for (const c of children) {
      if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
    }
    return e;
  }

  function svg(tag, attrs) {
    const e = document.createElementNS(SVG, tag);
    for (const k of Object.keys(attrs)) e.setAttribute(k, attrs[k]);
    return e;
  }

  function rate(v) {
    return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
  }

  function ms(v) {
    if (v >= 1000) return (v / 1000).toFixed(2) + ' s';
    return (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)) + ' ms';
  }

  function percent(v) {
    return (v * 100).toFixed(v > 0 && v < 0.01 ? 2 : 1) + '%';
  }

  function time(t) {
    return new Date(t).toLocaleTimeString([], {hour12: false}) + '.' + String(t % 1000).padStart(3, '0');
  }

  function figure(value, label) {
    const f = el('span', 'figure', el('b', null, value), el('span', null, label));
    f.dataset.figure = label;
    return f;
  }

  // How much time the charts show: from their first point (at least 20 s) up to five minutes.
  function chartSpan(points, now, intervalMs) {
    const first = points.length ? points[0].time_ms - intervalMs : now;
    return Math.min(intervalMs * 150, Math.max(20000, now - first));
  }

  function agoText(spanMs) {
    return spanMs < 120000 ? Math.round(spanMs / 1000) + ' s ago' : Math.round(spanMs / 60000) + ' min ago';
  }

  // One small line chart: time along x up to now, every series on one y scale.
  function chart(points, now, spanMs, series, format) {
    const W = 300, H = 80, L = 42, B = 12, T = 6;
    const root = svg('svg', {viewBox: '0 0 ' + W + ' ' + H, class: 'chart', preserveAspectRatio: 'none'});
    let max = 0;
    for (const p of points) for (const s of series) max = Math.max(max, s.value(p));
    max = max > 0 ? max * 1.1 : 1;
    const x = (t) => L + (W - L - 2) * (1 - Math.min(1, Math.max(0, (now - t) / spanMs)));
    const y = (v) => T + (H - B - T) * (1 - v / max);
    root.append(svg('line', {x1: L, y1: H - B, x2: W, y2: H - B, class: 'axis'}));
    root.append(svg('line', {x1: L, y1: T, x2: L, y2: H - B, class: 'axis'}));
    const top = svg('text', {x: L - 3, y: T + 7, 'text-anchor': 'end'});
    top.textContent = format(max);
    const zero = svg('text', {x: L - 3, y: H - B, 'text-anchor': 'end'});
    zero.textContent = '0';
    const ago = svg('text', {x: L, y: H - 1});
    ago.textContent = agoText(spanMs);
    const nowLabel = svg('text', {x: W - 2, y: H - 1, 'text-anchor': 'end'});
    nowLabel.textContent = 'now';
    root.append(top, zero, ago, nowLabel);
    for (const s of series) {
      const coords = points.map((p) => x(p.time_ms).toFixed(1) + ',' + y(s.value(p)).toFixed(1));
      if (coords.length === 1) coords.push((x(points[0].time_ms) + 2).toFixed(1) + ',' + coords[0].split(',')[1]);
      if (coords.length > 0) root.append(svg('polyline', {points: coords.join(' '), class: s.className}));
    }
    return root;
  }

  function chartBox(title, keys, chartSvg) {
    const head = el('div', 'chart-title', title);
    for (const k of keys) head.append(el('span', 'key ' + k, k));
    return el('div', 'chart-box', head, chartSvg);
  }

  function charts(points, now, intervalMs) {
    const spanMs = chartSpan(points, now, intervalMs);
    const traffic = chart(points, now, spanMs, [
      {className: 'calls', value: (p) => p.calls_per_second},
      {className: 'errors', value: (p) => p.calls_per_second * p.error_ratio},
    ], rate);
    const latency = chart(points, now, spanMs, [
      {className: 'p50', value: (p) => p.p50_ms},
      {className: 'p90', value: (p) => p.p90_ms},
      {className: 'p99', value: (p) => p.p99_ms},
    ], ms);
    return el('div', 'charts',
      chartBox('calls/s', ['calls', 'errors'], traffic),
      chartBox('latency', ['p50', 'p90', 'p99'], latency));
  }

  // Two rows: the counts since the proxy started, then the rates of the last interval.
  function figures(item, intervalMs) {
    const last = item.points.length ? item.points[item.points.length - 1] : null;
    const box = el('div', null, el('div', 'figures',
      el('span', 'muted period', 'since start'),
      figure(item.calls, 'calls'),
      figure(item.errors, 'errors')));
    if (last) {
      box.append(el('div', 'figures',
        el('span', 'muted period', 'last ' + intervalMs / 1000 + ' s'),
        figure(rate(last.calls_per_second), 'calls/s'),
        figure(percent(last.error_ratio), 'error rate'),
        figure(ms(last.p50_ms), 'p50'),
        figure(ms(last.p90_ms), 'p90'),
        figure(ms(last.p99_ms), 'p99')));
    }
    return box;
  }

  function badge(state) {
    const b = el('span', 'badge ' + state, state);
    b.dataset.state = state;
    return b;
  }

  function cell(text, className) {
    return el('td', className, text);
  }

  function head(...names) {
    const tr = el('tr');
    for (const n of names) tr.append(el('th', /^(in flight|connections|weight|ejections|took)$/.test(n) ? 'num' : null, n));
    return el('thead', null, tr);
  }

  function renderClusters(data) {
    const box = document.getElementById('clusters');
    if (data.clusters.length === 0) {
      box.replaceChildren(el('p', 'muted', 'No clusters configured.'));
      return;
    }
    box.replaceChildren(...data.clusters.map((c) => {
      const rows = el('tbody');
      for (const e of c.endpoints) {
        const tr = el('tr', 'endpoint',
          el('td', 'mono', e.address),
          el('td', null, badge(e.state)),
          cell(e.in_flight, 'num'),
          cell(e.connections, 'num'),
          cell(e.weight, 'num'),
          cell(e.ejections, 'num'));
        tr.dataset.endpoint = e.address;
        rows.append(tr);
      }
      const healthy = c.endpoints.filter((e) => e.state === 'healthy').length;
      const card = el('div', 'card cluster',
        el('div', 'card-head', el('h3', null, c.name),
          el('span', 'muted', healthy + ' of ' + c.endpoints.length + ' endpoints healthy')),
        figures(c, data.interval_ms),
        charts(c.points, data.time_ms, data.interval_ms),
        el('table', null, head('endpoint', 'state', 'in flight', 'connections', 'weight', 'ejections'), rows));
      card.dataset.cluster = c.name;
      return card;
    }));
  }

  function renderRoutes(data) {
    const box = document.getElementById('routes');
    if (data.routes.length === 0) {
      box.replaceChildren(el('p', 'muted', 'No calls yet.'));
      return;
    }
    box.replaceChildren(...data.routes.map((r) => {
      const target = r.cluster ? '→ ' + r.cluster : r.route === 'none' ? 'calls that matched no route' : '';
      const card = el('div', 'card route',
        el('div', 'card-head', el('h3', 'mono', r.route), el('span', 'muted', target)),
        figures(r, data.interval_ms),
        charts(r.points, data.time_ms, data.interval_ms));
      card.dataset.route = r.route;
      return card;
    }));
  }

  function renderFailed(data) {
    const box = document.getElementById('failed');
    document.getElementById('failed-count').textContent =
      data.failed_calls.length ? '(the last ' + data.failed_calls.length + ', newest first)' : '';
    if (data.failed_calls.length === 0) {
      box.replaceChildren(el('p', 'muted', 'None since the proxy started.'));
      return;
    }
    const rows = el('tbody');
    for (const f of data.failed_calls) {
      const status = f.grpc_status >= 0 ? 'grpc ' + f.grpc_status : f.http_status > 0 ? 'http ' + f.http_status : '';
      const tr = el('tr', 'failed-call',
        cell(time(f.time_ms), 'mono'),
        el('td', 'mono', f.path || ''),
        el('td', 'reason', f.reason || ''),
        cell(status),
        el('td', 'mono', f.upstream || ''),
        cell(ms(f.duration_ms), 'num'),
        el('td', 'detail', f.detail || ''));
      tr.dataset.reason = f.reason || '';
      rows.append(tr);
    }
    box.replaceChildren(el('div', 'wrap', el('table', null,
      head('time', 'path', 'reason', 'status', 'upstream', 'took', 'detail'), rows)));
  }

  function renderListeners(data) {
    const box = document.getElementById('listeners');
    box.replaceChildren(...data.listeners.map((l) => {
      const rows = el('tbody');
      for (const r of l.routes) {
        rows.append(el('tr', null, el('td', 'mono', r.route),
          cell(r.direct_reply ? 'direct reply' : r.cluster)));
      }
      return el('div', 'listener',
        el('h3', 'mono', l.address + (l.tls ? ' (TLS)' : '')),
        el('div', 'wrap', el('table', null, head('route', 'cluster'), rows)));
    }));
  }

  function render(data) {
    const ready = document.getElementById('ready');
    ready.textContent = data.ready ? 'ready' : 'draining';
    ready.className = 'badge ' + (data.ready ? 'ready' : 'draining');
    document.getElementById('updated').textContent = 'updated ' + time(data.time_ms);
    renderClusters(data);
    renderFailed(data);
    renderRoutes(data);
    renderListeners(data);
  }

  async function poll() {
    try {
      const response = await fetch('dashboard.json', {cache: 'no-store'});
      if (!response.ok) throw new Error('HTTP ' + response.status);
      render(await response.json());
    } catch (e) {
      const ready = document.getElementById('ready');
      ready.textContent = 'offline';
      ready.className = 'badge offline';
      document.getElementById('updated').textContent = 'cannot reach the proxy: ' + e.message;
    }
    setTimeout(poll, POLL_MS);
  }

  poll();
})();
