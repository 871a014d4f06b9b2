'use strict';

/*
 * Galapagos live dashboard: one page with hash routes, fed by the run server's JSON API and its
 * event stream. Code, feedback, summaries and failure reasons come from untrusted programs, so the
 * DOM is built only with textContent, createElement and createElementNS, never from HTML strings.
 * Scores are "higher is better" throughout, as everywhere in Galapagos.
 */
(() => {
  // ------------------------------------------------------------------ DOM helpers

  const SVG_NS = 'http://www.w3.org/2000/svg';

  /** An HTML element; attrs.text sets textContent, on* attrs add listeners. */
  function h(tag, attrs, ...children) {
    return build(document.createElement(tag), attrs, children);
  }

  /** An SVG element, same conventions as h(). */
  function s(tag, attrs, ...children) {
    return build(document.createElementNS(SVG_NS, tag), attrs, children);
  }

  function build(node, attrs, children) {
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'text') node.textContent = String(value);
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    // append() turns strings into text nodes, which is what keeps untrusted text inert.
    for (const child of children.flat(Infinity)) {
      if (child !== null && child !== undefined && child !== false) node.append(child);
    }
    return node;
  }

  function clamp(v, lo, hi) {
    return Math.min(hi, Math.max(lo, v));
  }

  /**
   * Runs fn at most once per `ms` (a number, or a function giving it), always with a trailing call
   * so the last update is shown.
   */
  function throttle(fn, ms) {
    const interval = typeof ms === 'function' ? ms : () => ms;
    let timer = null;
    let last = 0;
    const wrapped = () => {
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        last = Date.now();
        fn();
      }, Math.max(0, last + interval() - Date.now()));
    };
    wrapped.cancel = () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    };
    return wrapped;
  }

  // ------------------------------------------------------------------ formatting

  const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

  /** Enough decimals that small improvements stay visible, without long float tails. */
  function fmtScore(v) {
    if (!isNum(v)) return '—';
    const abs = Math.abs(v);
    if (abs !== 0 && (abs >= 1e7 || abs < 1e-3)) return v.toExponential(3);
    return String(Number(v.toFixed(4)));
  }

  function fmtInt(v) {
    return isNum(v) ? Math.round(v).toLocaleString('en-US') : '—';
  }

  function fmtUsd(v) {
    if (!isNum(v)) return '—';
    return '$' + v.toFixed(v !== 0 && Math.abs(v) < 1 ? 4 : 2);
  }

  function fmtDuration(ms) {
    if (!isNum(ms)) return '—';
    const total = Math.floor(ms / 1000);
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const seconds = total % 60;
    if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
    if (minutes > 0) return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
    return ms < 10000 ? `${(ms / 1000).toFixed(1)}s` : `${seconds}s`;
  }

  function fmtRate(v) {
    return isNum(v) ? v.toFixed(2) : '—';
  }

  // ------------------------------------------------------------------ API and routes

  /** Relative URLs, so the page works under a proxy prefix. */
  async function api(path) {
    const response = await fetch('api/' + path, { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`${response.status} ${response.statusText} (api/${path})`);
    return response.json();
  }

  const runApi = (run) => 'runs/' + encodeURIComponent(run);
  const runHash = (run) => '#/run/' + encodeURIComponent(run);
  const candidateHash = (run, id) => runHash(run) + '/candidate/' + encodeURIComponent(id);

  function decode(part) {
    try {
      return decodeURIComponent(part);
    } catch (e) {
      return part;
    }
  }

  /** '#/run/R/candidate/C' with R and C encoded; an unencoded candidate id (with '/') is tolerated. */
  function parseHash() {
    const parts = location.hash.replace(/^#\/?/, '').split('/').filter((p) => p !== '');
    if (parts[0] !== 'run' || parts.length < 2) return { kind: 'list' };
    const run = decode(parts[1]);
    if (parts[2] === 'candidate' && parts.length >= 4) {
      return { kind: 'candidate', run, candidate: parts.slice(3).map(decode).join('/') };
    }
    return { kind: 'run', run };
  }

  function errorBox(error) {
    return h('div', { class: 'error', text: 'Could not load: ' + (error && error.message ? error.message : error) });
  }

  function table(attrs, headers, rows) {
    return h('table', Object.assign({ class: 'grid' }, attrs),
      // A header given as [label, 'num'] is right-aligned like its numbers.
      h('thead', null, h('tr', null, headers.map((label) => (Array.isArray(label)
        ? h('th', { class: label[1], text: label[0] })
        : h('th', { text: label }))))),
      h('tbody', null, rows));
  }

  function numCell(text) {
    return h('td', { class: 'num', text });
  }

  function phaseBadge(phase, id) {
    return h('span', { id, class: 'phase phase-' + (phase || 'UNKNOWN'), text: phase || '—' });
  }

  function statusBadge(status) {
    if (!status) return h('span', { class: 'status status-pending', text: 'in flight' });
    return h('span', { class: 'status ' + (status === 'OK' ? 'status-ok' : 'status-failed'), text: status });
  }

  // Island colours match the run's static report.
  const ISLAND_COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

  function islandColour(index) {
    if (index < ISLAND_COLOURS.length) return ISLAND_COLOURS[index];
    return `hsl(${Math.round((index * 137.5) % 360)}, 55%, 42%)`;
  }

  // ------------------------------------------------------------------ live indicator

  const live = {
    set(state) {
      const el = document.getElementById('live');
      if (!el) return;
      el.hidden = state === null;
      el.textContent = state || '';
      el.className = 'live live-' + (state || 'none');
    },
  };

  // ------------------------------------------------------------------ run list

  function createRunList(main) {
    const section = h('section', { id: 'run-list', class: 'card' }, h('h2', { text: 'Runs' }));
    const body = h('div');
    section.append(body);
    main.append(section);
    document.title = 'Galapagos runs';
    live.set(null);
    let first = true;

    async function load() {
      try {
        const data = await api('runs');
        const runs = data.runs || [];
        if (first && runs.length === 1) {
          // One run: go straight to it, replacing the list in history so "back" does not bounce.
          location.replace(runHash(runs[0].id));
          return;
        }
        first = false;
        body.replaceChildren(runs.length === 0 ? h('p', { class: 'muted', text: 'No runs yet.' }) : runTable(runs));
      } catch (e) {
        body.replaceChildren(errorBox(e));
      }
    }

    function runTable(runs) {
      return table({ id: 'runs' }, ['Run', 'Task', 'Phase', ['Evaluated', 'num'], ['Proposed', 'num'], ['Best', 'num'], ['Elapsed', 'num']],
        runs.map((run) => h('tr', { class: 'run-row', 'data-run': run.id },
          h('td', null, h('a', { class: 'run-link', href: runHash(run.id), text: run.id })),
          h('td', { text: run.task || '' }),
          h('td', null, phaseBadge(run.phase)),
          numCell(fmtInt(run.evaluated)),
          numCell(fmtInt(run.proposed)),
          numCell(fmtScore(run.best)),
          numCell(fmtDuration(run.elapsedMillis)))));
    }

    load();
    const timer = setInterval(load, 5000);
    return {
      dispose() {
        clearInterval(timer);
        section.remove();
      },
    };
  }

  // ------------------------------------------------------------------ run header

  const TERMINAL = new Set(['COMPLETED', 'STOPPED']);

  class RunHeader {
    constructor(section, run) {
      this.fields = {};
      this.elapsed = { millis: null, at: 0, running: false };
      const stat = (label, id, sub) => h('div', { class: 'stat' },
        h('div', { class: 'stat-label', text: label }),
        h('div', { class: 'stat-value', id, text: '—' }),
        sub || null);
      this.bestLink = h('a', { id: 'best-candidate', class: 'stat-sub' });
      this.iterations = h('div', { class: 'stat-sub', id: 'iterations' });
      section.append(
        h('div', { class: 'run-title' },
          h('h1', null, h('span', { id: 'run-id', text: run })),
          h('span', { id: 'task', class: 'tag' }),
          h('span', { id: 'language', class: 'tag' }),
          phaseBadge(null, 'phase'),
          h('span', { id: 'completion', class: 'muted' })),
        h('div', { class: 'stats' },
          stat('Evaluated', 'evaluated', this.iterations),
          stat('Proposed', 'proposed'),
          stat('In flight', 'in-flight'),
          stat('Failed proposals', 'failed-proposals'),
          stat('Migrants', 'migrants'),
          stat('Elapsed', 'elapsed'),
          stat('Best TRAIN', 'best-train', this.bestLink),
          stat('Best TEST', 'best-test')));
      for (const el of section.querySelectorAll('[id]')) this.fields[el.id] = el;
      this.tick = setInterval(() => this.showElapsed(), 1000);
    }

    set(id, text) {
      const el = this.fields[id];
      if (el && el.textContent !== text) el.textContent = text;
    }

    applySummary(sum) {
      this.set('task', sum.task || '');
      this.set('language', sum.language || '');
      this.set('iterations', isNum(sum.iterations) ? `of ${fmtInt(sum.iterations)} iterations` : '');
      this.applyStatus(sum);
      this.set('migrants', fmtInt(sum.migrants));
    }

    /** Fields shared by the summary and the live status events. */
    applyStatus(st) {
      if (st.phase) {
        this.set('phase', st.phase);
        this.fields.phase.className = 'phase phase-' + st.phase;
      }
      if (isNum(st.evaluated)) this.set('evaluated', String(st.evaluated));
      if (isNum(st.proposed)) this.set('proposed', String(st.proposed));
      if (isNum(st.inFlight)) this.set('in-flight', String(st.inFlight));
      if (isNum(st.failedProposals)) this.set('failed-proposals', String(st.failedProposals));
      if ('completion' in st) this.set('completion', st.completion ? '· ' + st.completion : '');
      if (isNum(st.elapsedMillis)) {
        this.elapsed = { millis: st.elapsedMillis, at: Date.now(), running: st.phase === 'RUNNING' };
        this.showElapsed();
      } else if (st.phase) {
        this.elapsed.running = st.phase === 'RUNNING';
      }
    }

    /** The evaluated count only ever grows; events may arrive slightly out of order. */
    bumpEvaluated(n) {
      const shown = Number(this.fields.evaluated.textContent);
      if (!Number.isFinite(shown) || n > shown) this.set('evaluated', String(n));
    }

    /** Elapsed time ticks locally between status events while the run is running. */
    showElapsed() {
      const { millis, at, running } = this.elapsed;
      if (millis === null) return;
      this.set('elapsed', fmtDuration(millis + (running ? Date.now() - at : 0)));
    }

    setBest(best, run) {
      this.set('best-train', fmtScore(best && best.train));
      this.set('best-test', best && best.id ? fmtScore(best.test) : '—');
      this.fields['best-test'].title = best && best.id && !isNum(best.test) ? 'TEST score not known yet' : '';
      if (best && best.id) {
        this.bestLink.textContent = best.id;
        this.bestLink.href = candidateHash(run, best.id);
      } else {
        this.bestLink.textContent = '';
        this.bestLink.removeAttribute('href');
      }
    }

    dispose() {
      clearInterval(this.tick);
    }
  }

  // ------------------------------------------------------------------ progress chart

  function niceTicks(lo, hi, count) {
    const span = hi - lo;
    if (!(span > 0)) return { ticks: [lo], decimals: 0 };
    const raw = span / count;
    const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    const norm = raw / magnitude;
    const step = magnitude * (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10);
    const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    const ticks = [];
    for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
      ticks.push(Number(v.toFixed(decimals)));
    }
    return { ticks, decimals };
  }

  class ProgressChart {
    constructor(section, onOpen) {
      this.onOpen = onOpen;
      this.curves = new Map(); // island -> [[n, score, candidateId], ...] sorted by n
      this.pointIds = new Set(); // candidate ids already on a curve (de-duplicates replayed events)
      this.tests = new Map(); // candidate id -> TEST score
      this.baselines = [];
      this.evaluated = 0;
      this.colours = new Map();
      this.islandStats = new Map(); // island -> {evaluated}
      this.holder = h('div', { class: 'chart-holder' });
      this.legend = h('div', { class: 'legend', id: 'progress-legend' });
      section.append(this.holder, this.legend);
      // Live events may arrive many times a second; a redraw costs little but not nothing.
      this.scheduleDraw = throttle(() => this.draw(), 250);
    }

    colourOf(island) {
      if (!this.colours.has(island)) this.colours.set(island, islandColour(this.colours.size));
      return this.colours.get(island);
    }

    setIslands(islands) {
      for (const island of islands) {
        this.colourOf(island.id);
        this.islandStats.set(island.id, { evaluated: island.evaluated || 0 });
      }
      this.scheduleDraw();
    }

    load(progress, baselines) {
      this.baselines = baselines || [];
      this.evaluated = Math.max(this.evaluated, progress.evaluated || 0);
      for (const [island, points] of Object.entries(progress.islands || {})) {
        this.colourOf(island);
        for (const [n, score, id] of points) this.addPoint(island, n, score, id);
      }
      for (const [id, test] of Object.entries(progress.tests || {})) this.tests.set(id, test);
      this.draw();
    }

    addPoint(island, n, score, id) {
      if (!isNum(score) || this.pointIds.has(id)) return;
      this.pointIds.add(id);
      this.colourOf(island);
      const curve = this.curves.get(island) || [];
      curve.push([n, score, id]);
      if (curve.length > 1 && curve[curve.length - 2][0] > n) curve.sort((a, b) => a[0] - b[0]);
      this.curves.set(island, curve);
      this.evaluated = Math.max(this.evaluated, n);
      this.scheduleDraw();
    }

    countEvaluation(island, n) {
      const stats = this.islandStats.get(island) || { evaluated: 0 };
      stats.evaluated += 1;
      this.islandStats.set(island, stats);
      this.setEvaluated(n);
    }

    setEvaluated(n) {
      if (isNum(n) && n > this.evaluated) {
        this.evaluated = n;
        this.scheduleDraw();
      }
    }

    setTest(id, test) {
      this.tests.set(id, test);
      this.scheduleDraw();
    }

    /** Where each candidate with a TEST score sits on the curves. */
    testPoints() {
      const points = [];
      for (const [island, curve] of this.curves) {
        for (const [n, score, id] of curve) {
          const test = this.tests.get(id);
          if (isNum(test)) points.push({ island, n, score, id, test });
        }
      }
      return points;
    }

    /**
     * The y range fits the best-so-far lines, not every score, so small improvements stay visible.
     * TEST points join the range only when they do not stretch it more than twofold; otherwise they
     * are pinned to the edge.
     */
    yDomain(tests) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const curve of this.curves.values()) {
        for (const [, score] of curve) {
          lo = Math.min(lo, score);
          hi = Math.max(hi, score);
        }
      }
      if (lo === Infinity) {
        for (const b of this.baselines) {
          if (isNum(b.train)) {
            lo = Math.min(lo, b.train);
            hi = Math.max(hi, b.train);
          }
        }
      }
      if (lo === Infinity) return [0, 1];
      const span = hi - lo;
      if (tests.length > 0 && span > 0) {
        const tlo = Math.min(lo, ...tests.map((t) => t.test));
        const thi = Math.max(hi, ...tests.map((t) => t.test));
        if (thi - tlo <= 2 * span) {
          lo = tlo;
          hi = thi;
        }
      }
      const pad = hi > lo ? (hi - lo) * 0.06 : Math.max(Math.abs(hi) * 0.01, 0.5);
      return [lo - pad, hi + pad];
    }

    draw() {
      const width = Math.max(480, this.holder.clientWidth || 960);
      const height = 320;
      const m = { left: 70, right: 16, top: 14, bottom: 38 };
      const plotW = width - m.left - m.right;
      const plotH = height - m.top - m.bottom;
      const tests = this.testPoints();
      const [ylo, yhi] = this.yDomain(tests);
      const xmax = Math.max(1, this.evaluated);
      const x = (n) => m.left + (n / xmax) * plotW;
      const y = (v) => m.top + (1 - (v - ylo) / (yhi - ylo)) * plotH;

      const svg = s('svg', { class: 'progress-svg', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img',
        'aria-label': 'best TRAIN score over evaluations' });
      svg.append(this.axes(x, y, xmax, ylo, yhi, m, width, height));
      const clip = s('g', { 'clip-path': 'url(#progress-clip)' });
      svg.append(s('defs', null, s('clipPath', { id: 'progress-clip' },
        s('rect', { x: m.left - 4, y: m.top - 4, width: plotW + 8, height: plotH + 8 }))), clip);
      this.drawBaselines(svg, y, ylo, yhi, m, width, height);
      // Every improvement gets a clickable marker while they are few; beyond that only each
      // island's current best does, or the markers would hide the lines.
      let points = 0;
      for (const curve of this.curves.values()) points += curve.length;
      const allMarkers = points <= 300;
      for (const [island, curve] of this.curves) clip.append(this.bestLine(island, curve, x, y, xmax, allMarkers));
      for (const t of tests) svg.append(this.testPoint(t, x, y, ylo, yhi, m, plotH));
      if (this.curves.size === 0) {
        svg.append(s('text', { class: 'chart-empty', x: m.left + plotW / 2, y: m.top + plotH / 2,
          'text-anchor': 'middle', text: 'no successful evaluation yet' }));
      }
      this.holder.replaceChildren(svg);
      this.drawLegend();
    }

    axes(x, y, xmax, ylo, yhi, m, width, height) {
      const g = s('g', { class: 'axes' });
      const xt = niceTicks(0, xmax, Math.max(2, Math.floor((width - m.left) / 90)));
      for (const v of xt.ticks) {
        if (v !== Math.round(v)) continue; // evaluations are whole numbers
        g.append(s('line', { class: 'grid-line', x1: x(v), x2: x(v), y1: m.top, y2: height - m.bottom }),
          s('text', { class: 'tick', x: x(v), y: height - m.bottom + 15, 'text-anchor': 'middle', text: fmtInt(v) }));
      }
      const yt = niceTicks(ylo, yhi, 6);
      for (const v of yt.ticks) {
        g.append(s('line', { class: 'grid-line', x1: m.left, x2: width - m.right, y1: y(v), y2: y(v) }),
          s('text', { class: 'tick', x: m.left - 6, y: y(v) + 4, 'text-anchor': 'end', text: v.toFixed(yt.decimals) }));
      }
      g.append(
        s('line', { class: 'axis', x1: m.left, x2: m.left, y1: m.top, y2: height - m.bottom }),
        s('line', { class: 'axis', x1: m.left, x2: width - m.right, y1: height - m.bottom, y2: height - m.bottom }),
        s('text', { class: 'axis-label', x: m.left + (width - m.left - m.right) / 2, y: height - 4,
          'text-anchor': 'middle', text: 'evaluations (run order)' }),
        s('text', { class: 'axis-label', x: 0, y: 0, 'text-anchor': 'middle',
          transform: `translate(14 ${m.top + (height - m.top - m.bottom) / 2}) rotate(-90)`, text: 'best TRAIN score' }));
      return g;
    }

    /** A step line: flat until the next improvement, then up; extended to the latest evaluation. */
    bestLine(island, curve, x, y, xmax, allMarkers) {
      const colour = this.colourOf(island);
      const g = s('g', { class: 'island-line', 'data-island': island });
      let d = `M${x(curve[0][0]).toFixed(1)},${y(curve[0][1]).toFixed(1)}`;
      for (let i = 1; i < curve.length; i++) d += `H${x(curve[i][0]).toFixed(1)}V${y(curve[i][1]).toFixed(1)}`;
      d += `H${x(xmax).toFixed(1)}`;
      const last = curve[curve.length - 1];
      g.append(s('path', { class: 'best-line', 'data-island': island, d, stroke: colour },
        s('title', { text: `${island}: best ${fmtScore(last[1])} (${last[2]})` })));
      for (const [n, score, id] of allMarkers ? curve : [last]) {
        g.append(s('circle', { class: 'best-point', cx: x(n), cy: y(score), r: 2.5, fill: colour, 'data-id': id,
          onclick: () => this.onOpen(id) }, s('title', { text: `${id}: TRAIN ${fmtScore(score)} at evaluation ${n}` })));
      }
      return g;
    }

    testPoint(t, x, y, ylo, yhi, m, plotH) {
      const off = t.test < ylo || t.test > yhi;
      const cy = off ? (t.test > yhi ? m.top : m.top + plotH) : y(t.test);
      return s('circle', { class: 'test-point' + (off ? ' off-range' : ''), cx: x(t.n) + 5, cy, r: 3.5,
        stroke: this.colourOf(t.island), 'data-id': t.id, onclick: () => this.onOpen(t.id) },
      s('title', { text: `${t.id}: TEST ${fmtScore(t.test)} (TRAIN ${fmtScore(t.score)})` + (off ? ', outside the range' : '') }));
    }

    /** Baselines inside the range are dashed lines; those outside are named at the edge with an arrow. */
    drawBaselines(svg, y, ylo, yhi, m, width, height) {
      let above = 0;
      let below = 0;
      for (const b of this.baselines) {
        if (!isNum(b.train)) continue;
        const label = `${b.name} ${fmtScore(b.train)}`;
        if (b.train >= ylo && b.train <= yhi) {
          svg.append(
            s('line', { class: 'baseline', 'data-name': b.name, x1: m.left, x2: width - m.right, y1: y(b.train), y2: y(b.train) }),
            s('text', { class: 'baseline-label', x: m.left + 6, y: y(b.train) - 4, text: label }));
        } else if (b.train > yhi) {
          svg.append(s('text', { class: 'baseline-off', 'data-name': b.name, x: width - m.right - 4,
            y: m.top + 12 + 14 * above++, 'text-anchor': 'end', text: `▲ ${label}` }));
        } else {
          svg.append(s('text', { class: 'baseline-off', 'data-name': b.name, x: width - m.right - 4,
            y: height - m.bottom - 6 - 14 * below++, 'text-anchor': 'end', text: `▼ ${label}` }));
        }
      }
    }

    drawLegend() {
      const items = [];
      for (const [island, colour] of this.colours) {
        const curve = this.curves.get(island);
        const best = curve && curve.length ? curve[curve.length - 1][1] : null;
        const stats = this.islandStats.get(island);
        items.push(h('span', { class: 'legend-item', 'data-island': island },
          h('span', { class: 'swatch', style: `background:${colour}` }),
          h('span', { class: 'legend-name', text: island }),
          h('span', { class: 'muted', text: ` best ${fmtScore(best)}` + (stats ? ` · ${fmtInt(stats.evaluated)} evaluated` : '') })));
      }
      items.push(h('span', { class: 'legend-item muted' }, h('span', { class: 'swatch-test' }), 'TEST score of a best'));
      if (this.baselines.length) {
        items.push(h('span', { class: 'legend-item muted' }, h('span', { class: 'swatch-baseline' }), 'baseline (TRAIN)'));
      }
      this.legend.replaceChildren(...items);
    }
  }

  // ------------------------------------------------------------------ lineage tree

  // Colour scale from the worst to the best successful score: light for weak candidates so that the
  // strong ones stand out against the page.
  const SCORE_STOPS = [[236, 217, 120], [122, 196, 108], [33, 145, 140], [59, 82, 139], [68, 1, 84]];

  function scoreColour(t) {
    const pos = clamp(t, 0, 1) * (SCORE_STOPS.length - 1);
    const i = Math.min(SCORE_STOPS.length - 2, Math.floor(pos));
    const f = pos - i;
    const c = SCORE_STOPS[i].map((v, k) => Math.round(v + (SCORE_STOPS[i + 1][k] - v) * f));
    return `rgb(${c[0]},${c[1]},${c[2]})`;
  }

  const LINEAGE_PAD = 14;
  const LINEAGE_HEIGHT = 440;

  class LineageTree {
    constructor(section, onOpen) {
      this.onOpen = onOpen;
      this.nodes = [];
      this.byId = new Map();
      this.maxDepth = 0;
      this.domain = null; // [worst, best] successful scores used by the colour scale
      this.domainDirty = true;
      this.bestId = null;
      this.view = { sx: 1, sy: 1, tx: 0, ty: 0, fit: true };
      // Room the fitted layout leaves for live additions, so a new node rarely moves all others.
      this.capacity = { nodes: 1, depth: 1 };
      this.placed = 0; // nodes[0..placed) have positions under the current scales
      this.needsFull = true;
      this.committed = Object.assign({}, this.view); // the view the SVG content is drawn in
      this.commitTimer = null;
      this.drag = null;

      this.svg = s('svg', { class: 'lineage-svg', height: LINEAGE_HEIGHT });
      this.viewport = s('g', { class: 'viewport' });
      this.edges = s('path', { class: 'edges' });
      this.migrantEdges = s('path', { class: 'edges migrant-edges' });
      // Edges of live additions go to small separate paths until the next full layout, so the
      // big paths are not re-parsed on every event.
      this.liveEdges = s('path', { class: 'edges' });
      this.liveMigrantEdges = s('path', { class: 'edges migrant-edges' });
      this.bestPath = s('path', { class: 'best-path' });
      this.nodeLayer = s('g', { class: 'nodes' });
      this.viewport.append(this.edges, this.migrantEdges, this.liveEdges, this.liveMigrantEdges, this.bestPath, this.nodeLayer);
      this.svg.append(this.viewport);
      this.tooltip = h('div', { class: 'tooltip', hidden: true });
      this.count = h('span', { id: 'lineage-count', class: 'muted' });
      section.append(
        h('div', { class: 'lineage-holder' }, this.svg, this.tooltip),
        this.legend());
      section.querySelector('h2').append(' ', this.count);
      // Repainting thousands of circles is the costly part of a live update: big trees update
      // once a second, small ones four times.
      this.scheduleUpdate = throttle(() => this.update(), () => (this.nodes.length > 2000 ? 1000 : 250));
      this.listen();
    }

    legend() {
      const stops = SCORE_STOPS.map((c, i) => `rgb(${c.join(',')}) ${(i * 100) / (SCORE_STOPS.length - 1)}%`).join(',');
      return h('div', { class: 'legend' },
        h('span', { class: 'legend-item' }, 'worst', h('span', { class: 'gradient', style: `background:linear-gradient(90deg,${stops})` }), 'best'),
        h('span', { class: 'legend-item' }, h('span', { class: 'dot dot-failed' }), 'failed'),
        h('span', { class: 'legend-item' }, h('span', { class: 'dot dot-pending' }), 'in flight'),
        h('span', { class: 'legend-item' }, h('span', { class: 'dot dot-migrant' }), 'migrant'),
        h('span', { class: 'legend-item' }, h('span', { class: 'swatch-best-path' }), 'lineage of the best'),
        h('span', { class: 'legend-item muted', text: 'x: order of appearance, y: depth · wheel: zoom · drag: pan · double-click: fit' }));
    }

    load(nodes) {
      const fragment = document.createDocumentFragment();
      for (const data of nodes) {
        if (!this.byId.has(data.id)) fragment.append(this.addNode(data));
      }
      this.nodeLayer.append(fragment);
      this.domainDirty = true;
      this.layout();
    }

    addNode(data) {
      const node = {
        id: data.id, parent: data.parent || null, island: data.island, score: data.score, status: data.status || null,
        migrant: !!data.migrant, depth: isNum(data.depth) ? data.depth : 0, i: this.nodes.length,
        el: s('circle', { class: 'node', 'data-id': data.id, r: 3 }),
      };
      this.nodes.push(node);
      this.byId.set(node.id, node);
      this.maxDepth = Math.max(this.maxDepth, node.depth);
      this.paint(node);
      return node.el;
    }

    /** A live evaluation: a new node (depth from its parent) or an update of a proposed one. */
    upsert(item) {
      let node = this.byId.get(item.id);
      if (!node) {
        const parent = item.parent ? this.byId.get(item.parent) : null;
        this.nodeLayer.append(this.addNode(Object.assign({}, item, { depth: parent ? parent.depth + 1 : 0 })));
        node = this.byId.get(item.id);
        const full = this.nodes.length > this.capacity.nodes || node.depth > this.capacity.depth;
        if (this.view.fit && full) {
          this.needsFull = true;
          this.domainDirty = true; // let the worst end of the colour scale catch up too
        }
      } else {
        node.status = item.status || node.status;
        if ('score' in item) node.score = item.score;
        if ('migrant' in item) node.migrant = !!item.migrant;
      }
      // Only a new best moves the colour scale visibly; the 5th percentile drifts slowly and is
      // recomputed with the next full layout.
      if (isNum(node.score) && node.status === 'OK' && (!this.domain || node.score > this.domain[1])) {
        this.domainDirty = true;
      }
      this.paint(node);
      this.scheduleUpdate();
    }

    setBest(id) {
      if (id === this.bestId) return;
      const old = this.byId.get(this.bestId);
      this.bestId = id;
      if (old) this.paint(old);
      const node = this.byId.get(id);
      if (node) this.paint(node);
      this.scheduleUpdate();
    }

    /**
     * Worst end of the scale is the 5th percentile of successful scores, so a few disastrous
     * candidates do not wash out the differences among the rest.
     */
    computeDomain() {
      const scores = [];
      for (const n of this.nodes) if (n.status === 'OK' && isNum(n.score)) scores.push(n.score);
      if (scores.length === 0) {
        this.domain = null;
        return;
      }
      scores.sort((a, b) => a - b);
      this.domain = [scores[Math.floor((scores.length - 1) * 0.05)], scores[scores.length - 1]];
    }

    paint(node) {
      let cls = 'node';
      let fill;
      if (!node.status) {
        cls += ' pending';
        fill = '#ffffff';
      } else if (node.status !== 'OK' || !isNum(node.score)) {
        cls += ' failed';
        fill = '#c4c7cc';
      } else {
        const [worst, best] = this.domain || [node.score, node.score];
        fill = scoreColour(best > worst ? (node.score - worst) / (best - worst) : 1);
      }
      if (node.migrant) cls += ' migrant';
      if (node.id === this.bestId) cls += ' best';
      // Untouched attributes cost no style recalculation, which matters for a recolour of 10,000.
      if (node.cls !== cls) node.el.setAttribute('class', (node.cls = cls));
      if (node.fill !== fill) node.el.setAttribute('fill', (node.fill = fill));
    }

    /** Scales that show the whole tree, with the capacity's headroom for live additions. */
    fitScales() {
      const width = this.svg.clientWidth || 960;
      return {
        sx: Math.min(24, (width - 2 * LINEAGE_PAD) / Math.max(1, this.capacity.nodes - 1)),
        sy: Math.min(48, (LINEAGE_HEIGHT - 2 * LINEAGE_PAD) / Math.max(1, this.capacity.depth)),
      };
    }

    /** The throttled live update: a full layout only when the fitted room has run out. */
    update() {
      if (this.previewing()) {
        this.scheduleUpdate(); // positions would mix two views; try again after the gesture
        return;
      }
      if (this.domainDirty) this.recolour();
      if (this.needsFull) this.layout();
      else this.extend();
    }

    recolour() {
      this.domainDirty = false;
      this.computeDomain();
      for (const n of this.nodes) this.paint(n);
    }

    px(node) {
      return LINEAGE_PAD + node.i * this.view.sx;
    }

    py(node) {
      return LINEAGE_PAD + node.depth * this.view.sy;
    }

    /**
     * Positions every node and rebuilds the edge paths. Edges are two paths of line segments (one
     * for migrations) rather than thousands of elements, which keeps 10,000 nodes cheap to redraw.
     */
    layout() {
      if (this.view.fit) {
        const n = this.nodes.length;
        this.capacity = { nodes: n < 20 ? n : Math.ceil(n * 1.04) + 8, depth: Math.max(1, this.maxDepth) };
        Object.assign(this.view, this.fitScales(), { tx: 0, ty: 0 });
      }
      this.needsFull = false;
      this.svg.style.transform = '';
      if (this.domainDirty) this.recolour();
      const r = clamp(Math.min(this.view.sx, this.view.sy) * 0.42, 1.6, 7);
      this.nodeLayer.style.setProperty('--r', r + 'px');
      const { edges, migrants } = this.place(0);
      this.edges.setAttribute('d', edges);
      this.migrantEdges.setAttribute('d', migrants);
      this.liveEdges.setAttribute('d', '');
      this.liveMigrantEdges.setAttribute('d', '');
      this.placed = this.nodes.length;
      this.applyTranslate();
      this.finishUpdate();
    }

    /** Positions the nodes from index `from` on and returns the path data of their edges to their parents. */
    place(from) {
      let edges = '';
      let migrants = '';
      for (let k = from; k < this.nodes.length; k++) {
        const n = this.nodes[k];
        const x = this.px(n).toFixed(1);
        const y = this.py(n).toFixed(1);
        n.el.setAttribute('cx', x);
        n.el.setAttribute('cy', y);
        const parent = n.parent ? this.byId.get(n.parent) : null;
        if (!parent) continue;
        const segment = `M${this.px(parent).toFixed(1)},${this.py(parent).toFixed(1)}L${x},${y}`;
        if (n.migrant || parent.island !== n.island) migrants += segment;
        else edges += segment;
      }
      return { edges, migrants };
    }

    /** Places only the nodes added since the last layout, under the current scales. */
    extend() {
      const { edges, migrants } = this.place(this.placed);
      this.placed = this.nodes.length;
      if (edges) this.liveEdges.setAttribute('d', (this.liveEdges.getAttribute('d') || '') + edges);
      if (migrants) this.liveMigrantEdges.setAttribute('d', (this.liveMigrantEdges.getAttribute('d') || '') + migrants);
      this.finishUpdate();
    }

    finishUpdate() {
      this.bestPath.setAttribute('d', this.bestPathData());
      this.count.textContent = `${fmtInt(this.nodes.length)} candidates`;
    }

    bestPathData() {
      let d = '';
      let node = this.byId.get(this.bestId);
      const seen = new Set();
      while (node && !seen.has(node.id)) {
        seen.add(node.id);
        d += (d ? 'L' : 'M') + `${this.px(node).toFixed(1)},${this.py(node).toFixed(1)}`;
        node = node.parent ? this.byId.get(node.parent) : null;
      }
      return d;
    }

    applyTranslate() {
      this.viewport.setAttribute('transform', `translate(${this.view.tx.toFixed(1)} ${this.view.ty.toFixed(1)})`);
      this.committed = Object.assign({}, this.view);
    }

    previewing() {
      return this.commitTimer !== null || (this.drag !== null && this.drag.moved);
    }

    /**
     * During a gesture the already painted SVG is moved and scaled with a CSS transform (the
     * compositor does that without repainting thousands of circles); the real layout, with circles
     * at their proper size, follows once the gesture pauses.
     */
    preview() {
      const c = this.committed;
      const v = this.view;
      const kx = v.sx / c.sx;
      const ky = v.sy / c.sy;
      const ex = v.tx + LINEAGE_PAD - kx * (c.tx + LINEAGE_PAD);
      const ey = v.ty + LINEAGE_PAD - ky * (c.ty + LINEAGE_PAD);
      this.svg.style.transform = `matrix(${kx},0,0,${ky},${ex},${ey})`;
    }

    commit() {
      clearTimeout(this.commitTimer);
      this.commitTimer = null;
      this.svg.style.transform = '';
      const c = this.committed;
      if (this.view.fit || c.sx !== this.view.sx || c.sy !== this.view.sy) this.layout();
      else this.applyTranslate();
    }

    listen() {
      this.svg.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
      this.svg.addEventListener('pointerdown', (e) => {
        if (e.button !== 0) return;
        this.drag = { x: e.clientX, y: e.clientY, tx: this.view.tx, ty: this.view.ty, moved: false, pointer: e.pointerId };
      });
      this.svg.addEventListener('pointermove', (e) => this.onPointerMove(e));
      const end = () => {
        if (this.drag && this.drag.moved) {
          this.svg.classList.remove('dragging');
          this.drag.done = true;
          this.commit();
        }
        // Keep the flag until the click that follows the drag has been swallowed.
        setTimeout(() => { this.drag = null; }, 0);
      };
      this.svg.addEventListener('pointerup', end);
      this.svg.addEventListener('pointercancel', end);
      this.svg.addEventListener('click', (e) => {
        if (this.drag && this.drag.moved) return; // the end of a drag, not a click
        const target = e.target.closest('circle.node');
        if (target) this.onOpen(target.getAttribute('data-id'));
      });
      this.svg.addEventListener('dblclick', () => {
        this.view.fit = true;
        this.commit();
      });
      this.svg.addEventListener('pointerover', (e) => {
        const target = e.target.closest('circle.node');
        if (target) this.showTooltip(this.byId.get(target.getAttribute('data-id')), e);
      });
      this.svg.addEventListener('pointerout', (e) => {
        if (e.target.closest('circle.node')) this.tooltip.hidden = true;
      });
    }

    onPointerMove(e) {
      const drag = this.drag;
      if (!drag || drag.done || !(e.buttons & 1)) return;
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < 4) return;
      if (!drag.moved) {
        // Capture only once it is a real drag, so a plain click still lands on the node.
        drag.moved = true;
        this.svg.setPointerCapture(drag.pointer);
        this.svg.classList.add('dragging');
        this.tooltip.hidden = true;
      }
      this.view.fit = false;
      this.view.tx = drag.tx + dx;
      this.view.ty = drag.ty + dy;
      this.preview();
    }

    onWheel(e) {
      e.preventDefault();
      const rect = this.svg.getBoundingClientRect();
      const mx = e.clientX - rect.left;
      const my = e.clientY - rect.top;
      const v = this.view;
      // The data coordinates under the cursor stay under the cursor.
      const i0 = (mx - v.tx - LINEAGE_PAD) / v.sx;
      const d0 = (my - v.ty - LINEAGE_PAD) / v.sy;
      const factor = Math.exp(-clamp(e.deltaY, -200, 200) * 0.003);
      const fit = this.fitScales();
      v.sx = clamp(v.sx * factor, fit.sx, Math.max(fit.sx, 40));
      v.sy = clamp(v.sy * factor, fit.sy, Math.max(fit.sy, 40));
      v.fit = v.sx === fit.sx && v.sy === fit.sy;
      v.tx = v.fit ? 0 : mx - LINEAGE_PAD - i0 * v.sx;
      v.ty = v.fit ? 0 : my - LINEAGE_PAD - d0 * v.sy;
      this.preview();
      clearTimeout(this.commitTimer);
      this.commitTimer = setTimeout(() => this.commit(), 180);
    }

    showTooltip(node, e) {
      if (!node || (this.drag && this.drag.moved)) return;
      const holder = this.svg.getBoundingClientRect();
      this.tooltip.replaceChildren(
        h('strong', { text: node.id }),
        h('div', { text: `${node.status || 'in flight'} · ${fmtScore(node.score)}` }),
        h('div', { class: 'muted', text: `depth ${node.depth}` + (node.migrant ? ' · migrant' : '') + (node.parent ? ` · from ${node.parent}` : '') }));
      this.tooltip.style.left = `${clamp(e.clientX - holder.left + 12, 0, holder.width - 220)}px`;
      this.tooltip.style.top = `${e.clientY - holder.top + 12}px`;
      this.tooltip.hidden = false;
    }

    dispose() {
      this.scheduleUpdate.cancel();
      clearTimeout(this.commitTimer);
    }
  }

  // ------------------------------------------------------------------ candidates table

  class CandidateTable {
    constructor(section, run) {
      this.run = run;
      this.offset = 0;
      this.limit = 50;
      this.order = 'score';
      this.total = 0;
      this.rows = new Map(); // candidate id -> row cells, for in-place live updates
      this.requestSeq = 0;
      this.prev = h('button', { id: 'candidates-prev', type: 'button', text: '‹ Prev', onclick: () => this.page(-1) });
      this.next = h('button', { id: 'candidates-next', type: 'button', text: 'Next ›', onclick: () => this.page(1) });
      this.range = h('span', { id: 'candidates-range', class: 'muted' });
      this.byScore = h('button', { id: 'candidates-order-score', type: 'button', text: 'by score', onclick: () => this.setOrder('score') });
      this.byRecent = h('button', { id: 'candidates-order-recent', type: 'button', text: 'most recent', onclick: () => this.setOrder('recent') });
      this.body = h('tbody');
      this.error = h('div');
      section.append(
        h('div', { class: 'toolbar' },
          h('span', { class: 'toggle' }, this.byScore, this.byRecent),
          h('span', { class: 'pager' }, this.prev, this.range, this.next)),
        this.error,
        h('div', { class: 'table-scroll' },
          h('table', { class: 'grid', id: 'candidates-table' },
            h('thead', null, h('tr', null,
              ['#', 'Candidate', 'Island', 'Parent', 'Generator', 'Status', 'TRAIN', 'TEST', 'Summary']
                .map((label) => h('th', { class: ['#', 'TRAIN', 'TEST'].includes(label) ? 'num' : null, text: label })))),
            this.body)));
      // New evaluations refresh the first page, at most every 2 s (one page, never everything).
      this.refreshLive = throttle(() => this.load(), 2000);
      this.showControls();
    }

    page(delta) {
      const offset = this.offset + delta * this.limit;
      if (offset < 0 || (delta > 0 && offset >= this.total)) return;
      this.offset = offset;
      this.load();
    }

    setOrder(order) {
      if (order === this.order) return;
      this.order = order;
      this.offset = 0;
      this.load();
    }

    async load() {
      const seq = ++this.requestSeq;
      const query = `offset=${this.offset}&limit=${this.limit}&order=${this.order}`;
      try {
        const data = await api(`${runApi(this.run)}/candidates?${query}`);
        if (seq !== this.requestSeq) return; // a later page was asked for meanwhile
        this.total = data.total || 0;
        this.render(data.items || []);
        this.error.replaceChildren();
      } catch (e) {
        if (seq === this.requestSeq) this.error.replaceChildren(errorBox(e));
      }
      this.showControls();
    }

    showControls() {
      const first = this.total === 0 ? 0 : this.offset + 1;
      const last = Math.min(this.total, this.offset + this.limit);
      this.range.textContent = `${fmtInt(first)}–${fmtInt(last)} of ${fmtInt(this.total)}`;
      this.prev.disabled = this.offset === 0;
      this.next.disabled = this.offset + this.limit >= this.total;
      this.byScore.setAttribute('aria-pressed', String(this.order === 'score'));
      this.byRecent.setAttribute('aria-pressed', String(this.order === 'recent'));
    }

    /**
     * Reuses the row of a candidate already shown (updating its cells, moving it if needed), so a
     * live refresh leaves unchanged rows alone and references to them stay valid.
     */
    render(items) {
      const next = new Map();
      for (const item of items) {
        const row = this.rows.get(item.id) || this.row(item);
        this.fill(row, item);
        next.set(item.id, row);
      }
      for (const [id, row] of this.rows) if (!next.has(id)) row.tr.remove();
      this.rows = next;
      if (this.empty) this.empty.remove();
      let at = this.body.firstChild;
      for (const row of next.values()) {
        if (row.tr === at) at = at.nextSibling;
        else this.body.insertBefore(row.tr, at);
      }
      if (items.length === 0) {
        this.empty = h('tr', null, h('td', { colspan: 9, class: 'muted', text: 'no candidates yet' }));
        this.body.append(this.empty);
      }
    }

    /** The cells that change while a candidate is shown: status and scores. */
    fill(row, item) {
      const status = item.status || null;
      if (row.statusValue !== status) {
        row.statusValue = status;
        row.status.replaceChildren(statusBadge(status));
      }
      const train = fmtScore(item.score);
      if (row.train.textContent !== train) row.train.textContent = train;
      if ('test' in item) {
        const test = fmtScore(item.test);
        if (row.test.textContent !== test) row.test.textContent = test;
      }
    }

    row(item) {
      const status = h('td');
      const train = numCell('');
      const test = numCell('—');
      const tr = h('tr', { class: 'candidate-row' + (item.migrant ? ' migrant' : ''), 'data-id': item.id },
        numCell(isNum(item.n) ? String(item.n) : ''),
        h('td', null, h('a', { href: candidateHash(this.run, item.id), text: item.id }),
          item.migrant ? h('span', { class: 'tag tag-migrant', text: 'migrant' }) : null),
        h('td', { text: item.island || '' }),
        h('td', null, item.parent ? h('a', { href: candidateHash(this.run, item.parent), text: item.parent }) : '—'),
        h('td', { text: item.generator || '' }),
        status, train, test,
        h('td', { class: 'summary', title: item.summary || '', text: item.summary || '' }));
      return { tr, status, train, test, statusValue: undefined };
    }

    onEvaluation(item) {
      const row = this.rows.get(item.id);
      if (row) this.fill(row, item);
      if (this.offset === 0) this.refreshLive();
    }

    onTest(id, test) {
      const row = this.rows.get(id);
      if (row) row.test.textContent = fmtScore(test);
    }

    dispose() {
      this.refreshLive.cancel();
      this.requestSeq++;
    }
  }

  // ------------------------------------------------------------------ failures, spending, workers

  class FailuresPanel {
    constructor(section) {
      this.byStatus = {};
      this.statusHolder = h('div');
      this.reasonHolder = h('div');
      this.recentHolder = h('div');
      section.append(h('div', { class: 'columns' },
        h('div', null, h('h3', { text: 'Evaluations by status' }), this.statusHolder),
        h('div', null, h('h3', { text: 'Failed proposals by reason' }), this.reasonHolder)),
      h('h3', { text: 'Recent failed proposals' }), this.recentHolder);
    }

    setByStatus(byStatus) {
      this.byStatus = Object.assign({}, byStatus || {});
      this.renderStatus();
    }

    countFailure(status) {
      this.byStatus[status] = (this.byStatus[status] || 0) + 1;
      this.renderStatus();
    }

    renderStatus() {
      const entries = Object.entries(this.byStatus).sort((a, b) => b[1] - a[1]);
      this.statusHolder.replaceChildren(entries.length === 0
        ? h('p', { class: 'muted', text: 'no failed evaluations' })
        : table({ id: 'failures-by-status' }, ['Status', ['Count', 'num']],
          entries.map(([status, count]) => h('tr', null, h('td', { text: status }), numCell(fmtInt(count))))));
    }

    setProposals(proposals) {
      const reasons = (proposals && proposals.byReason) || [];
      this.reasonHolder.replaceChildren(reasons.length === 0
        ? h('p', { class: 'muted', text: 'no failed proposals' })
        : table({ id: 'failed-proposals' }, ['Reason', ['Count', 'num']],
          reasons.map((r) => h('tr', null, h('td', { class: 'reason', text: r.reason }), numCell(fmtInt(r.count))))));
      const recent = (proposals && proposals.recent) || [];
      this.recentHolder.replaceChildren(recent.length === 0
        ? h('p', { class: 'muted', text: 'none' })
        : table({ id: 'failed-proposals-recent' }, ['Island', ['Sequence', 'num'], 'Generator', 'Reason'],
          recent.slice(-20).reverse().map((r) => h('tr', null,
            h('td', { text: r.island || '' }), numCell(isNum(r.sequence) ? String(r.sequence) : ''),
            h('td', { text: r.generator || '' }), h('td', { class: 'reason', text: r.reason || '' })))));
    }
  }

  function renderSpending(holder, spending) {
    const rows = spending || [];
    if (rows.length === 0) {
      holder.replaceChildren(h('p', { class: 'muted', text: 'no model calls' }));
      return;
    }
    const total = { calls: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };
    for (const r of rows) for (const k of Object.keys(total)) total[k] += isNum(r[k]) ? r[k] : 0;
    const line = (name, r, cls) => h('tr', { class: cls || null }, h('td', { text: name }), numCell(fmtInt(r.calls)),
      numCell(fmtInt(r.promptTokens)), numCell(fmtInt(r.completionTokens)), numCell(fmtUsd(r.costUsd)));
    holder.replaceChildren(table({ id: 'spending-table' }, ['Model', ['Calls', 'num'], ['Prompt tokens', 'num'], ['Completion tokens', 'num'], ['Cost', 'num']],
      [...rows.map((r) => line(r.model, r)), rows.length > 1 ? line('total', total, 'total') : null]));
  }

  // The run's Pareto front (galapagos.islands.objectives = pareto): one row per program, its objective values.
  function renderFront(holder, run, front) {
    holder.hidden = !front;
    if (!front) return;
    const objectives = front.objectives || [];
    const points = front.points || [];
    holder.replaceChildren(h('h2', { text: `Pareto front (${points.length})` }),
      table({ id: 'front-table' }, ['Candidate', ...objectives.map((o) => [`${o.name} (${o.direction})`, 'num']), ['Score', 'num'], ['Same point', 'num']],
        points.map((p) => h('tr', null,
          h('td', null, h('a', { href: candidateHash(run, p.candidate), text: p.candidate })),
          ...objectives.map((o) => numCell(fmtScore((p.objectives || {})[o.name]))),
          numCell(fmtScore(p.score)), numCell(String((p.equal || []).length))))));
  }

  function renderCluster(holder, cluster) {
    const members = cluster.members || [];
    const workers = cluster.workers || [];
    const d = cluster.dispatcher;
    const parts = [];
    parts.push(h('h3', { text: 'Members' }), members.length === 0 ? h('p', { class: 'muted', text: 'no members' })
      : table({ id: 'members' }, ['Address', 'Roles', 'Status'], members.map((m) => h('tr', { class: m.address === cluster.self ? 'self' : null },
        h('td', null, m.address, m.address === cluster.self ? h('span', { class: 'tag', text: 'this node' }) : null),
        h('td', { text: (m.roles || []).join(', ') }),
        h('td', { text: m.status || '' })))));
    if (d) {
      const stat = (label, v) => h('span', { class: 'kv' }, h('span', { class: 'muted', text: label + ' ' }), fmtInt(v));
      parts.push(h('h3', { text: 'Dispatcher' }), h('div', { id: 'dispatcher', class: 'kvs' },
        stat('queued', d.queued), stat('running', d.running), stat('workers', d.workers), stat('completed', d.completed),
        stat('requeued', d.requeued), stat('quarantined', d.quarantined), stat('quarantined workers', d.quarantinedWorkers)));
    }
    parts.push(h('h3', { text: 'Workers' }), workers.length === 0 ? h('p', { class: 'muted', text: 'no workers' })
      : table({ id: 'workers-table' }, ['Address', ['Slots', 'num'], ['Busy', 'num'], '', ['Completed', 'num'], ['Per second', 'num'], 'State'],
        workers.map((w) => h('tr', { class: 'worker-row' + (w.quarantined ? ' quarantined' : ''), 'data-address': w.address },
          h('td', { text: w.address }), numCell(fmtInt(w.slots)), numCell(fmtInt(w.busy)),
          h('td', null, h('span', { class: 'bar' }, h('span', { class: 'bar-fill',
            style: `width:${w.slots > 0 ? clamp((100 * w.busy) / w.slots, 0, 100) : 0}%` }))),
          numCell(fmtInt(w.completed)), numCell(fmtRate(w.perSecond)),
          h('td', { text: w.quarantined ? 'quarantined' : 'ok' })))));
    holder.replaceChildren(...parts);
  }

  // ------------------------------------------------------------------ event stream

  /**
   * The run's event stream. The first connection asks for events after the summary's seq; the
   * browser's own reconnects send Last-Event-ID. If the browser gives up (the server answered with
   * an error), we reopen ourselves after a pause, from the last event seen.
   */
  class LiveStream {
    constructor(run, after, handlers, onState) {
      this.run = run;
      this.lastId = isNum(after) ? after : null;
      this.handlers = handlers;
      this.onState = onState;
      this.source = null;
      this.retry = null;
      this.open();
    }

    open() {
      const query = this.lastId !== null ? `?after=${encodeURIComponent(this.lastId)}` : '';
      const source = new EventSource(`api/${runApi(this.run)}/events${query}`);
      this.source = source;
      source.onopen = () => this.onState('open');
      source.onerror = () => {
        if (source.readyState === EventSource.CLOSED) {
          this.onState('closed');
          this.retry = setTimeout(() => this.open(), 5000);
        } else {
          this.onState('reconnecting');
        }
      };
      for (const type of Object.keys(this.handlers)) {
        source.addEventListener(type, (e) => this.dispatch(type, e));
      }
    }

    dispatch(type, e) {
      const id = Number(e.lastEventId);
      if (e.lastEventId !== '' && Number.isFinite(id)) this.lastId = id;
      let data;
      try {
        data = JSON.parse(e.data);
      } catch (err) {
        console.warn('unreadable event', type, err);
        return;
      }
      this.handlers[type](data);
    }

    close() {
      clearTimeout(this.retry);
      if (this.source) this.source.close();
    }
  }

  // ------------------------------------------------------------------ run view

  class RunView {
    constructor(main, run) {
      this.run = run;
      this.phase = null;
      this.connection = 'connecting';
      this.best = null; // {id, train, test}
      this.tests = new Map();
      this.failedProposals = null;
      this.disposed = false;
      this.stream = null;
      this.timers = [];
      this.root = h('div', { id: 'run-view' });
      main.append(this.root);
      this.buildSections();
      this.refreshSummary = throttle(() => this.loadSummary(), 10000);
      this.refreshFailures = throttle(() => this.loadFailures(), 5000);
      this.load();
    }

    buildSections() {
      const section = (id, title, cls) => {
        const el = h('section', { id, class: 'card ' + (cls || '') }, title ? h('h2', { text: title }) : null);
        this.root.append(el);
        return el;
      };
      const open = (id) => { location.hash = candidateHash(this.run, id); };
      this.header = new RunHeader(section('run-header', null), this.run);
      this.message = h('div');
      this.root.append(this.message);
      this.chart = new ProgressChart(section('progress', 'Best score'), open);
      this.frontHolder = section('front', null);
      this.frontHolder.hidden = true;
      this.lineage = new LineageTree(section('lineage', 'Lineage'), open);
      this.candidates = new CandidateTable(section('candidates', 'Candidates'), this.run);
      const row = h('div', { class: 'columns' });
      this.root.append(row);
      const failures = h('section', { id: 'failures', class: 'card' }, h('h2', { text: 'Failures' }));
      const spending = h('section', { id: 'spending', class: 'card' }, h('h2', { text: 'Spending' }));
      row.append(failures, spending);
      this.failures = new FailuresPanel(failures);
      this.spendingHolder = h('div');
      spending.append(this.spendingHolder);
      this.workersHolder = h('div');
      section('workers', 'Cluster').append(this.workersHolder);
      this.onResize = throttle(() => {
        this.chart.draw();
        this.lineage.layout();
      }, 200);
      window.addEventListener('resize', this.onResize);
    }

    async load() {
      document.title = `${this.run} · Galapagos`;
      let summary;
      try {
        summary = await api(runApi(this.run));
      } catch (e) {
        this.message.replaceChildren(errorBox(e));
        return;
      }
      if (this.disposed) return;
      this.applySummary(summary, true);
      this.loadCluster();
      this.timers.push(setInterval(() => this.loadCluster(), 5000));
      this.candidates.load();
      this.loadFailures();
      const [progress, lineage] = await Promise.all([
        api(`${runApi(this.run)}/progress`).catch((e) => this.fail(e)),
        api(`${runApi(this.run)}/lineage`).catch((e) => this.fail(e)),
      ]);
      if (this.disposed) return;
      if (progress) {
        this.chart.load(progress, summary.baselines);
        for (const [id, test] of Object.entries(progress.tests || {})) this.tests.set(id, test);
      }
      if (lineage) {
        this.lineage.load(lineage.nodes || []);
        if (this.best) this.lineage.setBest(this.best.id);
      }
      // Connect only after the snapshot is in, from the oldest seq the snapshot covers, so
      // nothing falls between load and connect; replayed events are applied idempotently.
      const seqs = [summary.seq, progress && progress.seq].filter(isNum);
      this.stream = new LiveStream(this.run, seqs.length ? Math.min(...seqs) : null, {
        evaluation: (item) => this.onEvaluation(item),
        test: (t) => this.onTest(t),
        status: (st) => this.onStatus(st),
      }, (state) => {
        this.connection = state;
        this.showLive();
      });
    }

    fail(e) {
      this.message.append(errorBox(e));
      return null;
    }

    async loadSummary() {
      try {
        const summary = await api(runApi(this.run));
        if (!this.disposed) this.applySummary(summary, false);
      } catch (e) {
        console.warn('summary refresh failed', e);
      }
    }

    applySummary(summary, first) {
      this.phase = summary.phase;
      this.header.applySummary(summary);
      this.chart.setIslands(summary.islands || []);
      this.failedProposals = summary.failedProposals;
      const best = summary.best;
      if (best && (first || !this.best || !isNum(this.best.train) || best.train >= this.best.train)) {
        this.best = { id: best.candidateId, train: best.train, test: isNum(best.test) ? best.test : this.tests.get(best.candidateId) };
        this.lineage.setBest(best.candidateId);
      }
      this.header.setBest(this.best, this.run);
      this.failures.setByStatus(summary.failures);
      renderSpending(this.spendingHolder, summary.spending);
      renderFront(this.frontHolder, this.run, summary.front);
      if (first) this.failures.setProposals({ byReason: summary.failedProposalReasons || [] });
      this.showLive();
    }

    async loadFailures() {
      try {
        const failures = await api(`${runApi(this.run)}/failures`);
        if (this.disposed) return;
        if (failures.byStatus) this.failures.setByStatus(failures.byStatus);
        this.failures.setProposals(failures.proposals);
      } catch (e) {
        console.warn('failures refresh failed', e);
      }
    }

    async loadCluster() {
      if (this.hiddenView && this.clusterLoaded) return; // not on screen: skip the poll
      this.clusterLoaded = true;
      try {
        const cluster = await api('cluster');
        if (!this.disposed) renderCluster(this.workersHolder, cluster);
      } catch (e) {
        if (!this.disposed) this.workersHolder.replaceChildren(h('p', { class: 'muted', text: 'no cluster information (' + e.message + ')' }));
      }
    }

    onEvaluation(item) {
      const known = this.lineage.byId.get(item.id);
      const firstTime = !known || !known.status; // replayed events must not be counted twice
      this.lineage.upsert(item);
      if (isNum(item.n)) this.header.bumpEvaluated(item.n);
      if (firstTime) {
        this.chart.countEvaluation(item.island, item.n);
        if (item.status && item.status !== 'OK') this.failures.countFailure(item.status);
      } else {
        this.chart.setEvaluated(item.n);
      }
      if (isNum(item.test)) this.tests.set(item.id, item.test);
      if (item.bestChanged && isNum(item.score)) {
        this.chart.addPoint(item.island, item.n, item.score, item.id);
        // Equal to a best whose id is unknown (a status event came first): this is that best.
        const b = this.best;
        if (!b || !isNum(b.train) || item.score > b.train || (item.score === b.train && !b.id)) {
          this.best = { id: item.id, train: item.score, test: this.tests.get(item.id) };
          this.header.setBest(this.best, this.run);
          this.lineage.setBest(item.id);
        }
      }
      this.candidates.onEvaluation(item);
    }

    onTest(t) {
      if (!t || !t.id) return;
      this.tests.set(t.id, t.test);
      this.chart.setTest(t.id, t.test);
      this.candidates.onTest(t.id, t.test);
      if (this.best && this.best.id === t.id) {
        this.best.test = t.test;
        this.header.setBest(this.best, this.run);
      }
    }

    onStatus(st) {
      this.phase = st.phase || this.phase;
      this.header.applyStatus(st);
      if (isNum(st.evaluated)) this.chart.setEvaluated(st.evaluated);
      // The status event knows the best score but not which candidate; keep the id we know.
      if (isNum(st.best) && (!this.best || !isNum(this.best.train) || st.best > this.best.train)) {
        this.best = { id: null, train: st.best, test: null };
        this.header.setBest(this.best, this.run);
      }
      if (isNum(st.failedProposals) && st.failedProposals !== this.failedProposals) {
        this.failedProposals = st.failedProposals;
        this.refreshFailures();
      }
      // Spending, island stats and migrants are not in the stream: refresh the summary now and then.
      this.refreshSummary();
      this.showLive();
    }

    showLive() {
      if (this.disposed || this.hiddenView) return;
      if (TERMINAL.has(this.phase)) live.set('finished');
      else live.set(this.connection === 'open' ? 'live' : 'reconnecting');
    }

    show() {
      this.root.hidden = false;
      this.hiddenView = false;
      this.showLive();
      document.title = `${this.run} · Galapagos`;
      // Layout may have been deferred while hidden (zero width).
      this.chart.draw();
      this.lineage.layout();
    }

    hide() {
      this.root.hidden = true;
      this.hiddenView = true;
    }

    dispose() {
      this.disposed = true;
      if (this.stream) this.stream.close();
      for (const t of this.timers) clearInterval(t);
      this.refreshSummary.cancel();
      this.refreshFailures.cancel();
      this.chart.scheduleDraw.cancel();
      this.onResize.cancel();
      window.removeEventListener('resize', this.onResize);
      this.header.dispose();
      this.lineage.dispose();
      this.candidates.dispose();
      this.root.remove();
    }
  }

  // ------------------------------------------------------------------ syntax colouring

  const C_KEYWORDS = 'auto break case char const continue default do double else enum extern float for goto if inline int long ' +
    'register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while bool true false NULL';
  const KEYWORDS = {
    java: 'abstract assert boolean break byte case catch char class const continue default do double else enum extends final ' +
      'finally float for goto if implements import instanceof int interface long native new package private protected public ' +
      'return short static strictfp super switch synchronized this throw throws transient try void volatile while var record ' +
      'yield sealed permits non-sealed true false null',
    python: 'False None True and as assert async await break class continue def del elif else except finally for from global if ' +
      'import in is lambda nonlocal not or pass raise return try while with yield match case self',
    c: C_KEYWORDS,
    cpp: C_KEYWORDS + ' class namespace template typename public private protected virtual override new delete this using ' +
      'nullptr constexpr try catch throw operator friend explicit noexcept static_cast dynamic_cast reinterpret_cast const_cast final',
    rust: 'as async await break const continue crate dyn else enum extern false fn for if impl in let loop match mod move mut pub ' +
      'ref return self Self static struct super trait true type unsafe use where while',
    javascript: 'async await break case catch class const continue debugger default delete do else export extends false finally ' +
      'for function if import in instanceof let new null of return static super switch this throw true try typeof undefined var void while with yield',
    go: 'break case chan const continue default defer else fallthrough for func go goto if import interface map package range ' +
      'return select struct switch type var true false nil',
  };
  const LANGUAGE_ALIASES = { 'c++': 'cpp', cc: 'cpp', h: 'c', hpp: 'cpp', js: 'javascript', typescript: 'javascript', ts: 'javascript', py: 'python', rs: 'rust', golang: 'go' };

  /** One global regex per language; groups: 1 comment, 2 string, 3 number, 4 word. */
  function tokenPattern(language) {
    const hashComments = language === 'python';
    const comment = hashComments ? String.raw`#[^\n]*` : String.raw`\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)`;
    const string = hashComments
      ? String.raw`[rRbBuUfF]{0,2}(?:"""[\s\S]*?(?:"""|$)|'''[\s\S]*?(?:'''|$)|"(?:\\.|[^"\\\n])*"?|'(?:\\.|[^'\\\n])*'?)`
      // Character literals are one (escaped) character long, so a Rust lifetime is not a string.
      : String.raw`"""[\s\S]*?(?:"""|$)|"(?:\\.|[^"\\\n])*"?|'(?:\\(?:u[\da-fA-F]{4}|x[\da-fA-F]{2}|.)|[^'\\\n])'` + (language === 'javascript' || language === 'go' ? String.raw`|'(?:\\.|[^'\\\n])*'|` + '`[^`]*`' : '');
    // A trailing \w* takes type suffixes along: 10L, 1.5f, 1_000u32.
    const number = String.raw`\b0[xX][\da-fA-F_]+\w*|\b\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?\w*|\B\.\d+(?:[eE][+-]?\d+)?\b`;
    const word = String.raw`[A-Za-z_$][\w$]*`;
    return new RegExp(`(${comment})|(${string})|(${number})|(${word})`, 'g');
  }

  function highlight(pre, code, language) {
    const lang = LANGUAGE_ALIASES[language] || language;
    const keywords = new Set((KEYWORDS[lang] || KEYWORDS.java).split(' '));
    const pattern = tokenPattern(lang);
    const fragment = document.createDocumentFragment();
    let at = 0;
    let match;
    while ((match = pattern.exec(code)) !== null) {
      if (match[0] === '') {
        pattern.lastIndex++;
        continue;
      }
      if (match.index > at) fragment.append(code.slice(at, match.index));
      const cls = match[1] ? 'tok-com' : match[2] ? 'tok-str' : match[3] ? 'tok-num'
        : keywords.has(match[4]) ? 'tok-kw' : null;
      fragment.append(cls ? h('span', { class: cls, text: match[0] }) : match[0]);
      at = pattern.lastIndex;
    }
    if (at < code.length) fragment.append(code.slice(at));
    pre.replaceChildren(fragment);
  }

  function renderDiff(pre, diff) {
    if (!diff) {
      pre.replaceChildren(h('span', { class: 'muted', text: 'no diff: a seed, or identical to its parent' }));
      return;
    }
    const fragment = document.createDocumentFragment();
    for (const line of diff.replace(/\n$/, '').split('\n')) {
      let cls = null;
      if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('diff ') || line.startsWith('index ')) cls = 'meta';
      else if (line.startsWith('@@')) cls = 'hunk';
      else if (line.startsWith('+')) cls = 'add';
      else if (line.startsWith('-')) cls = 'del';
      fragment.append(cls ? h('span', { class: cls, text: line + '\n' }) : line + '\n');
    }
    pre.replaceChildren(fragment);
  }

  // ------------------------------------------------------------------ candidate view

  function createCandidateView(main, run, id) {
    const section = h('section', { id: 'candidate', class: 'card' },
      h('a', { id: 'back-to-run', class: 'back', href: runHash(run), text: `‹ back to ${run}` }));
    const body = h('div', null, h('p', { class: 'muted', text: 'loading…' }));
    section.append(body);
    main.append(section);
    window.scrollTo(0, 0);
    document.title = `${id} · Galapagos`;
    let timer = null;
    let disposed = false;

    async function load() {
      try {
        const c = await api(`${runApi(run)}/candidate?id=${encodeURIComponent(id)}`);
        if (disposed) return;
        body.replaceChildren(...renderCandidate(run, c));
        // An in-flight candidate is polled until its evaluation lands.
        if (!c.status) timer = setTimeout(load, 3000);
      } catch (e) {
        if (!disposed) body.replaceChildren(errorBox(e));
      }
    }

    load();
    return {
      dispose() {
        disposed = true;
        clearTimeout(timer);
        section.remove();
      },
    };
  }

  function renderCandidate(run, c) {
    const link = (cid) => h('a', { href: candidateHash(run, cid), text: cid });
    const test = c.test || null;
    const usage = c.usage || {};
    const kv = (label, ...value) => h('tr', null, h('th', { text: label }), h('td', null, ...value));
    const facts = h('table', { class: 'facts', id: 'candidate-facts' }, h('tbody', null,
      kv('Island', c.island || '—'),
      kv('Sequence', isNum(c.sequence) ? String(c.sequence) : '—'),
      kv('Parent', c.parent ? link(c.parent) : 'none (seed)'),
      kv('Generator', c.generator || '—'),
      kv('Status', statusBadge(c.status), c.migrant ? h('span', { class: 'tag tag-migrant', text: 'migrant' }) : null),
      kv('TRAIN score', h('span', { id: 'candidate-train', text: fmtScore(c.score) })),
      kv('TEST score', h('span', { id: 'candidate-test', text: fmtScore(test && test.score) }),
        test && test.status && test.status !== 'OK' ? h('span', { class: 'muted', text: ` (${test.status})` }) : null),
      kv('Tokens', `${fmtInt(usage.promptTokens)} prompt · ${fmtInt(usage.completionTokens)} completion`),
      kv('Cost', fmtUsd(usage.costUsd)),
      kv('Evaluation time', fmtDuration(c.elapsedMillis)),
      kv('Worker', c.worker || '—')));
    const lineage = h('ol', { id: 'candidate-lineage', class: 'lineage-list' },
      (c.lineage || []).map((cid) => h('li', null, cid === c.id ? h('strong', { text: cid }) : link(cid))));
    const code = h('pre', { id: 'candidate-code', class: 'code' });
    highlight(code, c.code || '', (c.language || '').toLowerCase());
    const diff = h('pre', { id: 'candidate-diff', class: 'code diff' });
    renderDiff(diff, c.diff || '');
    return [
      h('h1', null, h('span', { id: 'candidate-id', text: c.id })),
      c.summary ? h('p', { id: 'candidate-summary', class: 'summary-text', text: c.summary }) : null,
      h('div', { class: 'columns' },
        h('div', null, h('h3', { text: 'Facts' }), facts),
        h('div', null, h('h3', { text: 'Metrics' }), metricsTable(c.metrics, test && test.metrics),
          h('h3', { text: 'Lineage' }), lineage)),
      h('h3', { text: 'Feedback' }),
      h('pre', { id: 'candidate-feedback', class: 'feedback', text: c.feedback || '(none)' }),
      h('h3', { text: 'Diff against the parent' }), diff,
      h('h3', { text: `Code (${c.language || 'unknown language'})` }), code,
    ];
  }

  function metricsTable(train, test) {
    const keys = [...new Set([...Object.keys(train || {}), ...Object.keys(test || {})])].sort();
    if (keys.length === 0) return h('p', { class: 'muted', text: 'no metrics' });
    const value = (v) => (isNum(v) ? fmtScore(v) : v === undefined || v === null ? '—' : String(v));
    return table({ id: 'candidate-metrics' }, ['Metric', ['TRAIN', 'num'], ['TEST', 'num']], keys.map((k) => h('tr', null,
      h('td', { text: k }), numCell(value((train || {})[k])), numCell(value((test || {})[k])))));
  }

  // ------------------------------------------------------------------ router

  const app = { list: null, runView: null, candidate: null, runScroll: 0 };

  function route() {
    const main = document.getElementById('main');
    const target = parseHash();
    if (app.candidate) {
      app.candidate.dispose();
      app.candidate = null;
    }
    if (target.kind === 'list') {
      disposeRunView();
      if (!app.list) app.list = createRunList(main);
      return;
    }
    if (app.list) {
      app.list.dispose();
      app.list = null;
    }
    // The run view stays alive (hidden, still live) while one of its candidates is shown, so going
    // back does not download the lineage again and keeps the scroll position.
    if (!app.runView || app.runView.run !== target.run) {
      disposeRunView();
      app.runView = new RunView(main, target.run);
    }
    if (target.kind === 'candidate') {
      if (!app.runView.root.hidden) app.runScroll = window.scrollY;
      app.runView.hide();
      app.candidate = createCandidateView(main, target.run, target.candidate);
    } else if (app.runView.root.hidden) {
      app.runView.show();
      window.scrollTo(0, app.runScroll);
    }
  }

  function disposeRunView() {
    if (app.runView) {
      app.runView.dispose();
      app.runView = null;
      live.set(null);
    }
  }

  window.addEventListener('hashchange', route);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', route);
  else route();
})();
