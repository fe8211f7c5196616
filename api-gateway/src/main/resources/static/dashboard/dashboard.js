/*
 * The live edge dashboard. Reads GET /api/jetty/edges/stream (server-sent events) with fetch and a
 * streamed body, because EventSource cannot send the Authorization header and the key must not go
 * into a URL. Draws a snapshot once, then applies each change: one edge, the recommendation shares,
 * the totals. No polling: if the stream ends it reconnects (with back-off) and starts from a new
 * snapshot.
 */
(function () {
  'use strict';

  var STREAM = '/api/jetty/edges/stream';
  var KEY = 'jettyspeed.dashboard.key';
  var SVG = 'http://www.w3.org/2000/svg';
  var MAP = { width: 1000, height: 500 };

  var state = {
    edges: new Map(), history: new Map(), shares: {}, totals: null,
    intervalMs: 2000, length: 150, lastEventAt: 0, rendered: false
  };
  var retryMs = 1000;
  var abort = null;

  function $(id) { return document.getElementById(id); }

  // ---- key: from #key=... (never sent to the server), else this tab, else this browser ----
  function takeKeyFromFragment() {
    var match = /(?:^#|&)key=([^&]+)/.exec(location.hash);
    if (!match) { return; }
    sessionStorage.setItem(KEY, decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
  function currentKey() { return sessionStorage.getItem(KEY) || localStorage.getItem(KEY); }
  function forgetKey() { sessionStorage.removeItem(KEY); localStorage.removeItem(KEY); }

  function askForKey(message) {
    setConnection('key', 'API key needed');
    $('key-form').hidden = false;
    $('change-key').hidden = true;
    $('key-error').textContent = message || '';
    $('key-input').focus();
  }

  $('key-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var key = $('key-input').value.trim();
    if (!key) { return; }
    sessionStorage.setItem(KEY, key);
    if ($('key-remember').checked) { localStorage.setItem(KEY, key); } else { localStorage.removeItem(KEY); }
    $('key-input').value = '';
    $('key-form').hidden = true;
    reconnectNow();
  });
  $('change-key').addEventListener('click', function () {
    forgetKey();
    if (abort) { abort.abort(); }
    askForKey('');
  });

  // ---- the stream ----
  function reconnectNow() {
    if (abort) { abort.abort(); }
    retryMs = 1000;
    connect();
  }

  function connect() {
    var key = currentKey();
    if (!key) { askForKey(''); return; }
    var controller = new AbortController();
    abort = controller;
    setConnection(state.rendered ? 'reconnecting' : 'connecting');
    fetch(STREAM, {
      headers: { 'Authorization': 'Bearer ' + key, 'Accept': 'text/event-stream' },
      cache: 'no-store', signal: controller.signal
    }).then(function (response) {
      if (response.status === 401 || response.status === 403) {
        forgetKey();
        askForKey(response.status === 401 ? 'That key was not accepted.' : 'That key may not read edge health.');
        return null;
      }
      if (!response.ok || !response.body) { throw new Error('HTTP ' + response.status); }
      $('change-key').hidden = false;
      return read(response.body.getReader(), controller);
    }).then(function (ended) {
      if (ended) { retry(controller); }
    }).catch(function () { retry(controller); });
  }

  function retry(controller) {
    if (controller.signal.aborted || abort !== controller) { return; }
    setConnection('reconnecting');
    setTimeout(function () { if (abort === controller) { connect(); } }, retryMs);
    retryMs = Math.min(15000, retryMs * 2);
  }

  function read(reader, controller) {
    var decoder = new TextDecoder();
    var buffer = '';
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done) { return true; }
        buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n?/g, '\n');
        var end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          var block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          dispatch(block);
        }
        return controller.signal.aborted ? false : pump();
      });
    }
    return pump();
  }

  function dispatch(block) {
    var event = 'message';
    var data = [];
    block.split('\n').forEach(function (line) {
      if (line.indexOf('event:') === 0) { event = line.slice(6).trim(); }
      else if (line.indexOf('data:') === 0) { data.push(line.slice(5).replace(/^ /, '')); }
    });
    state.lastEventAt = Date.now();
    if (!data.length) { return; } // a heartbeat comment
    var payload = JSON.parse(data.join('\n'));
    if (event === 'snapshot') { onSnapshot(payload); }
    else if (event === 'edge') { onEdge(payload); }
    else if (event === 'shares') { state.shares = payload; renderShares(); }
    else if (event === 'totals') { state.totals = payload; renderTotals(); }
  }

  function onSnapshot(snapshot) {
    retryMs = 1000;
    state.intervalMs = snapshot.historyIntervalMs;
    state.length = snapshot.historyLength;
    state.shares = snapshot.shares || {};
    state.totals = snapshot.totals || null;
    snapshot.edges.forEach(function (edge) {
      state.history.set(edge.edgeId, edge.history || []);
      delete edge.history;
      state.edges.set(edge.edgeId, edge);
    });
    if (!state.rendered) { buildTable(snapshot.edges); buildMap(snapshot.edges); state.rendered = true; }
    snapshot.edges.forEach(function (edge) { renderEdge(edge.edgeId, false); });
    renderShares();
    renderTotals();
    $('totals-note').hidden = !!snapshot.totals;
    setConnection('live');
  }

  function onEdge(edge) {
    state.edges.set(edge.edgeId, edge);
    // The server's rule: one point per interval, the newest point follows the latest value.
    var points = state.history.get(edge.edgeId) || [];
    var point = { t: edge.t, score: edge.score, latencyMs: edge.latencyMs, state: edge.state };
    var last = points[points.length - 1];
    if (last && point.t - last.t < state.intervalMs) { point.t = last.t; points[points.length - 1] = point; }
    else { points.push(point); if (points.length > state.length) { points.shift(); } }
    state.history.set(edge.edgeId, points);
    if (state.rendered) { renderEdge(edge.edgeId, true); renderEdgeCounts(); }
  }

  // ---- rendering ----
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function buildTable(edges) {
    var body = document.querySelector('#edges tbody');
    body.textContent = '';
    edges.forEach(function (edge) {
      var row = el('tr', { 'data-edge-id': edge.edgeId, 'data-state': edge.state });
      var name = el('td');
      name.appendChild(el('span', { 'class': 'edge-id' }, edge.edgeId));
      name.appendChild(el('span', { 'class': 'city' }, edge.city + ' · ' + edge.region));
      row.appendChild(name);
      var stateCell = el('td', { 'class': 'state' });
      stateCell.appendChild(el('span', { 'class': 'badge' }));
      row.appendChild(stateCell);
      var score = el('td', { 'class': 'num score-cell' });
      var wrap = el('span', { 'class': 'score' });
      var bar = el('span', { 'class': 'bar' });
      bar.appendChild(el('i'));
      wrap.appendChild(bar);
      wrap.appendChild(el('span', { 'class': 'score-value' }));
      score.appendChild(wrap);
      row.appendChild(score);
      ['latency', 'bandwidth', 'errors', 'load', 'share'].forEach(function (c) {
        row.appendChild(el('td', { 'class': 'num ' + c }));
      });
      var spark = el('td', { 'class': 'spark-cell' });
      var s = svg('svg', { 'class': 'spark', viewBox: '0 0 160 28', preserveAspectRatio: 'none' });
      s.appendChild(svg('polyline', { 'class': 'latency-line' }));
      s.appendChild(svg('polyline', { 'class': 'score-line' }));
      spark.appendChild(s);
      row.appendChild(spark);
      row.appendChild(el('td', { 'class': 'why' }));
      body.appendChild(row);
    });
  }

  function project(lat, lng) {
    return [(lng + 180) / 360 * MAP.width, (90 - lat) / 180 * MAP.height];
  }

  function buildMap(edges) {
    var map = $('map');
    map.textContent = '';
    var top = project(80, 0)[1];
    var bottom = project(-58, 0)[1];
    map.setAttribute('viewBox', '0 ' + top.toFixed(0) + ' ' + MAP.width + ' ' + (bottom - top).toFixed(0));
    map.appendChild(svg('rect', { 'class': 'ocean', x: 0, y: 0, width: MAP.width, height: MAP.height }));
    var grid = '';
    for (var lng = -150; lng < 180; lng += 30) { var x = project(0, lng)[0]; grid += 'M' + x + ' 0V' + MAP.height; }
    for (var lat = -60; lat <= 60; lat += 30) { var y = project(lat, 0)[1]; grid += 'M0 ' + y + 'H' + MAP.width; }
    map.appendChild(svg('path', { 'class': 'grid', d: grid }));
    (window.JETTY_WORLD || []).forEach(function (ring) {
      var points = ring.map(function (p) { var xy = project(p[1], p[0]); return xy[0].toFixed(1) + ',' + xy[1].toFixed(1); });
      map.appendChild(svg('polygon', { 'class': 'land', points: points.join(' ') }));
    });
    edges.forEach(function (edge) {
      var xy = project(edge.lat, edge.lng);
      var dot = svg('circle', { 'class': 'edge unknown', cx: xy[0].toFixed(1), cy: xy[1].toFixed(1), r: 5,
        'data-edge-id': edge.edgeId });
      dot.appendChild(svg('title'));
      map.appendChild(dot);
    });
  }

  var COLORS = { healthy: 'var(--healthy)', degraded: 'var(--degraded)', stale: 'var(--stale)',
    ejected: 'var(--ejected)', unprobed: 'var(--unprobed)', unknown: 'var(--unknown)' };

  function renderEdge(edgeId, flash) {
    var edge = state.edges.get(edgeId);
    var row = document.querySelector('tr[data-edge-id="' + edgeId + '"]');
    if (!edge || !row) { return; }
    var st = edge.state || 'unknown';
    // Unprobed: no probe has reported it; its score is the prior (lowered by failed chunks, if any).
    var unprobed = edge.unprobed === true;
    row.setAttribute('data-state', st);
    row.setAttribute('data-unprobed', unprobed ? 'true' : 'false');
    row.className = st;
    var badge = row.querySelector('.badge');
    badge.textContent = st === 'unknown' ? 'no data' : st;
    badge.title = unprobed ? 'no probe has reported this edge yet' : '';
    var score = edge.score == null ? null : edge.score;
    row.querySelector('.bar i').style.width = score == null ? '0' : (score * 100).toFixed(0) + '%';
    var scoreValue = row.querySelector('.score-value');
    scoreValue.textContent = score == null ? '–' : score.toFixed(2);
    scoreValue.title = unprobed ? 'prior score: no probe has reported this edge yet' : '';
    row.querySelector('.latency').textContent = edge.latencyMs == null ? '–' : fmt(edge.latencyMs, 0) + ' ms';
    row.querySelector('.bandwidth').textContent = edge.bandwidthMbps == null ? '–' : fmt(edge.bandwidthMbps, 0) + ' Mbps';
    row.querySelector('.errors').textContent = edge.errorRate == null ? '–' : pct(edge.errorRate);
    row.querySelector('.load').textContent = edge.load == null ? '–' : pct(edge.load);
    row.querySelector('.why').textContent = (edge.reasons || []).join('; ');
    drawSpark(row.querySelector('svg.spark'), state.history.get(edgeId) || []);
    var dot = document.querySelector('#map circle[data-edge-id="' + edgeId + '"]');
    if (dot) {
      dot.setAttribute('class', 'edge ' + st);
      dot.style.fill = COLORS[st] || COLORS.unknown;
      dot.querySelector('title').textContent = edge.edgeId + ' · ' + edge.city + ' · ' + st
        + (unprobed && st !== 'unprobed' ? ' (unprobed)' : '')
        + (score == null ? '' : ' · score ' + score.toFixed(2) + (unprobed ? ' (prior)' : ''))
        + (edge.latencyMs == null ? '' : ' · ' + fmt(edge.latencyMs, 0) + ' ms');
    }
    if (flash) {
      row.classList.remove('flash');
      void row.offsetWidth; // restart the animation
      row.classList.add('flash');
    }
    $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  }

  function drawSpark(node, points) {
    if (points.length < 2) {
      node.querySelector('.score-line').setAttribute('points', '');
      node.querySelector('.latency-line').setAttribute('points', '');
      return;
    }
    var n = points.length;
    var maxLatency = Math.max(300, Math.max.apply(null, points.map(function (p) { return p.latencyMs || 0; })));
    function line(value) {
      return points.map(function (p, i) {
        var x = (state.length - n + i) / (state.length - 1) * 158 + 1;
        return x.toFixed(1) + ',' + (27 - value(p) * 26).toFixed(1);
      }).join(' ');
    }
    node.querySelector('.score-line').setAttribute('points', line(function (p) { return p.score || 0; }));
    node.querySelector('.latency-line').setAttribute('points',
      line(function (p) { return Math.min(1, (p.latencyMs || 0) / maxLatency); }));
  }

  function renderShares() {
    state.edges.forEach(function (edge, edgeId) {
      var share = state.shares[edgeId] || 0;
      var row = document.querySelector('tr[data-edge-id="' + edgeId + '"]');
      if (row) { row.querySelector('.share').textContent = share > 0 ? pct(share) : '0%'; }
      var dot = document.querySelector('#map circle[data-edge-id="' + edgeId + '"]');
      if (dot) { dot.setAttribute('r', (4 + Math.sqrt(share) * 26).toFixed(1)); }
    });
    renderEdgeCounts();
  }

  function renderEdgeCounts() {
    var counts = { healthy: 0, degraded: 0, stale: 0, ejected: 0, unprobed: 0, unknown: 0 };
    state.edges.forEach(function (edge) { counts[edge.state || 'unknown'] = (counts[edge.state || 'unknown'] || 0) + 1; });
    $('t-edges').textContent = counts.healthy + ' / ' + state.edges.size + ' healthy';
    $('t-edge-states').textContent = counts.degraded + ' degraded · ' + counts.ejected + ' ejected · '
      + counts.stale + ' stale' + (counts.unprobed ? ' · ' + counts.unprobed + ' unprobed' : '')
      + (counts.unknown ? ' · ' + counts.unknown + ' no data' : '');
  }

  function renderTotals() {
    var t = state.totals;
    if (!t) { return; }
    $('t-completed').textContent = fmt(t.uploadsCompleted, 0);
    $('t-uploads').textContent = fmt(t.uploadsStarted, 0) + ' started · ' + fmt(t.uploadsInFlight, 0) + ' in flight · '
      + fmt(t.uploadsFailed, 0) + ' failed';
    $('t-bytes').textContent = bytes(t.bytesUploaded);
    $('t-storage').textContent = fmt(t.storedFiles, 0) + ' files stored · ' + fmt(t.users, 0) + ' users';
    $('t-saved').textContent = bytes(t.bytesSaved);
    $('t-clones').textContent = fmt(t.clones, 0) + ' clones · ' + duration(t.secondsSaved) + ' saved · '
      + pct(t.dedupRatio) + ' of bytes';
  }

  function setConnection(kind, text) {
    var pill = $('connection');
    pill.setAttribute('data-state', kind);
    pill.textContent = text || { live: 'live', connecting: 'connecting…', reconnecting: 'reconnecting…' }[kind] || kind;
  }

  // ---- formatting ----
  function fmt(value, digits) {
    return Number(value).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  }
  function pct(value) {
    var p = value * 100;
    if (p === 0) { return '0%'; }
    if (p < 0.1) { return '<0.1%'; }
    return (p < 10 ? p.toFixed(1) : p.toFixed(0)) + '%';
  }
  function bytes(value) {
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
    var i = 0;
    while (value >= 1024 && i < units.length - 1) { value /= 1024; i++; }
    return (i === 0 ? value.toFixed(0) : value.toFixed(1)) + ' ' + units[i];
  }
  function duration(seconds) {
    seconds = Math.round(seconds || 0);
    if (seconds < 60) { return seconds + ' s'; }
    if (seconds < 3600) { return Math.floor(seconds / 60) + ' min ' + (seconds % 60) + ' s'; }
    return Math.floor(seconds / 3600) + ' h ' + Math.floor(seconds % 3600 / 60) + ' min';
  }

  // Staleness of the page itself: if nothing (not even a heartbeat) arrived for 40 s, reconnect.
  setInterval(function () {
    if (state.lastEventAt && Date.now() - state.lastEventAt > 40000 && abort && !abort.signal.aborted) {
      state.lastEventAt = Date.now();
      reconnectNow();
    }
  }, 5000);

  takeKeyFromFragment();
  connect();
})();
