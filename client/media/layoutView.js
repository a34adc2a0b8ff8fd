// The layout view's webview: draws the model the extension posts (see
// server/src/core/layoutView.ts for its shape) as byte maps, one row per ABI,
// plus a legend and a table view of the same data. Plain DOM, no framework;
// loaded as the page's only script (nonce'd, under a strict CSP), so it sets
// styles only through the CSSOM, never with inline style attributes.
// @ts-check
(function () {
  'use strict';

  // @ts-ignore acquireVsCodeApi is provided by the webview host
  const vscode = acquireVsCodeApi();
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));
  const saved = vscode.getState() || {};
  const state = {
    /** @type {any} */ model: null,
    /** @type {string | undefined} */ notice: undefined,
    follow: true,
    view: saved.view === 'table' ? 'table' : 'map',
    /** Collapsed nested members, per record key (everything starts expanded). */
    /** @type {Record<string, string[]>} */ collapsed: saved.collapsed || {},
    /** @type {{ abi: string, path: string, offset: number } | undefined} */ focus: undefined,
  };
  /** @type {Map<string, any>} */
  let members = new Map();

  /** @param {string} tag @param {Record<string, any>} [attrs] @param {(Node | string | null | undefined | false)[]} [children] */
  function h(tag, attrs, children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children || []) if (c !== null && c !== undefined && c !== false) el.append(c);
    return el;
  }

  const bytes = (n) => `${n} B`;
  const plural = (n, one) => `${n} ${one}${n === 1 ? '' : 's'}`;
  const label = (path) => (path ? (members.get(path) ? members.get(path).label : path) : 'padding');
  const persist = () => vscode.setState({ view: state.view, collapsed: state.collapsed });
  const collapsedSet = () => new Set(state.model ? state.collapsed[state.model.key] || [] : []);
  const isExpanded = (path) => !collapsedSet().has(path);

  function setExpanded(path, expanded) {
    const key = state.model.key;
    const set = collapsedSet();
    if (expanded) set.delete(path);
    else set.add(path);
    state.collapsed[key] = [...set];
    persist();
    render();
  }

  // ------------------------------------------------------------------ page

  function render() {
    const model = state.model;
    const scroll = document.scrollingElement ? document.scrollingElement.scrollTop : 0;
    const hadFocus = app.contains(document.activeElement) && document.activeElement && document.activeElement.classList.contains('lv-seg');
    app.textContent = '';
    hideTip();
    if (!model) {
      app.append(h('div', { class: 'lv-empty' }, [h('p', { class: 'lv-empty-title', text: 'No record yet' }), h('p', { text: state.notice || 'Put the cursor in a struct or union to see its layout.' })]));
      return;
    }
    members = new Map(model.members.map((m) => [m.path, m]));
    if (model.unusable) {
      // A layout that could not be computed: its name and why, never a number.
      app.append(h('div', { class: 'lv-empty' }, [h('p', { class: 'lv-empty-title', text: `${model.kind} ${model.name}: no usable layout` }), h('p', { role: 'status', text: model.unusable })]));
      vscode.postMessage({ type: 'rendered', record: model.name, segments: 0, view: state.view });
      return;
    }
    app.append(header(model));
    if (state.notice) app.append(h('p', { class: 'lv-notice', role: 'status', text: state.notice }));
    const body = state.view === 'table' ? tableView(model) : mapView(model);
    app.append(body);
    if (state.view === 'map') {
      app.append(legend(model));
      fitLabels();
    }
    if (document.scrollingElement) document.scrollingElement.scrollTop = scroll;
    if (hadFocus && state.focus) focusSegment(state.focus);
    else ensureTabStop();
    const segments = app.querySelectorAll('.lv-seg').length;
    vscode.postMessage({ type: 'rendered', record: model.name, segments, view: state.view });
  }

  function header(model) {
    const differs = model.differs;
    const typedefs = model.typedefs.length ? `typedef ${model.typedefs.join(', ')}` : '';
    const tabs = h('div', { class: 'lv-tabs', role: 'tablist', 'aria-label': 'View' }, [
      tab('map', 'Byte map'),
      tab('table', 'Table'),
    ]);
    const expandable = model.members.filter((m) => m.kind === 'nested');
    const allOpen = expandable.every((m) => isExpanded(m.path));
    const tools = h('div', { class: 'lv-toolbar', role: 'toolbar', 'aria-label': 'Layout view actions' }, [
      tabs,
      h('span', { class: 'lv-spacer' }),
      expandable.length && state.view === 'map'
        ? h('button', { class: 'lv-button', type: 'button', title: allOpen ? 'Collapse every nested record' : 'Expand every nested record', onclick: () => toggleAll(!allOpen), text: allOpen ? 'Collapse all' : 'Expand all' })
        : null,
      h('label', { class: 'lv-check', title: 'Show the record under the cursor' }, [
        h('input', { type: 'checkbox', checked: state.follow, onchange: (e) => { state.follow = e.target.checked; vscode.postMessage({ type: 'follow', follow: state.follow }); } }),
        'Follow cursor',
      ]),
      h('button', { class: 'lv-button', type: 'button', title: 'Open the layout as a Markdown table', onclick: () => vscode.postMessage({ type: 'export', format: 'markdown' }), text: 'Markdown' }),
      h('button', { class: 'lv-button', type: 'button', title: 'Save the byte map as an SVG picture', onclick: () => vscode.postMessage({ type: 'export', format: 'svg' }), text: 'SVG' }),
    ]);
    const sizes = h('ul', { class: 'lv-sizes', 'aria-label': 'Size per ABI' }, model.abis.map((a) =>
      h('li', { class: 'lv-size-card' }, [
        h('span', { class: 'lv-size-abi', text: a.abi }),
        h('span', { class: 'lv-size-value', text: bytes(a.size) }),
        h('span', { class: 'lv-size-meta', text: `align ${a.align} · ${a.padding ? bytes(a.padding) + ' padding' : 'no padding'}${a.complete ? '' : ' · incomplete'}` }),
      ]),
    ));
    return h('header', { class: 'lv-header' }, [
      h('div', { class: 'lv-heading' }, [
        h('span', { class: 'lv-kind', text: model.kind }),
        h('h1', { class: 'lv-name' }, [h('button', { class: 'lv-link', type: 'button', title: 'Reveal in source', onclick: () => vscode.postMessage({ type: 'reveal', path: '' }), text: model.name })]),
        h('span', { class: `lv-badge ${differs ? 'lv-badge-differs' : 'lv-badge-same'}`, text: differs ? 'layouts differ' : 'same on all ABIs' }),
      ]),
      typedefs ? h('p', { class: 'lv-typedefs', text: typedefs }) : null,
      sizes,
      tools,
    ]);
  }

  function tab(view, text) {
    const selected = state.view === view;
    return h('button', {
      class: 'lv-tab', type: 'button', role: 'tab', 'aria-selected': selected ? 'true' : 'false', tabindex: selected ? 0 : -1, text,
      onclick: () => { state.view = view; persist(); render(); },
      onkeydown: (e) => {
        if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
          state.view = state.view === 'map' ? 'table' : 'map';
          persist();
          render();
          const t = /** @type {HTMLElement | null} */ (app.querySelector('.lv-tab[aria-selected="true"]'));
          if (t) t.focus();
        }
      },
    });
  }

  function toggleAll(open) {
    state.collapsed[state.model.key] = open ? [] : state.model.members.filter((m) => m.kind === 'nested').map((m) => m.path);
    persist();
    render();
  }

  // ------------------------------------------------------------------ byte map

  function mapView(model) {
    const cells = Math.ceil(model.maxSize / model.bytesPerCell);
    const grid = h('div', { class: 'lv-map', role: 'grid', 'aria-label': `Byte map of ${model.name}, one row per ABI${model.bytesPerCell > 1 ? `, ${model.bytesPerCell} bytes per cell` : ''}. Arrow keys move, Enter reveals the member in the source, Space expands a nested record.` });
    grid.style.setProperty('--lv-cells', String(cells));
    for (const a of model.abis) {
      const track = h('div', { class: 'lv-track' });
      const extent = h('div', { class: 'lv-extent', 'aria-hidden': 'true' });
      extent.style.width = pct(a.size, model.maxSize);
      extent.style.setProperty('--lv-extent-cells', String(a.size / model.bytesPerCell));
      track.append(extent);
      renderLanes(track, a.lanes, a, model, 0);
      grid.append(h('div', { class: 'lv-row', role: 'row', 'aria-label': `${a.abi}: ${bytes(a.size)}` }, [
        h('div', { class: 'lv-rowhead', role: 'rowheader' }, [h('span', { class: 'lv-abi', text: a.abi }), h('span', { class: 'lv-abi-size', text: `${bytes(a.size)} · ${a.pointerSize * 8}-bit` })]),
        track,
      ]));
    }
    grid.append(ruler(model));
    return h('section', { class: 'lv-map-wrap', 'aria-label': 'Byte map' }, [grid]);
  }

  const pct = (n, of) => `${(n / of) * 100}%`;

  /** Lanes of one level, each followed by the expanded nested records it holds. */
  function renderLanes(track, lanes, abi, model, depth) {
    for (const lane of lanes) {
      const el = h('div', { class: `lv-lane lv-depth-${Math.min(depth, 3)}` });
      for (const s of lane) if (s.size > 0) el.append(segment(s, abi, model, depth));
      track.append(el);
      for (const s of lane) {
        if (s.kind !== 'nested' || !s.lanes || !isExpanded(s.path)) continue;
        const bracket = h('div', { class: 'lv-bracket', 'aria-hidden': 'true' });
        bracket.style.left = pct(s.offset, model.maxSize);
        bracket.style.width = pct(s.size, model.maxSize);
        bracket.classList.add(`lv-c${s.colour}`);
        track.append(h('div', { class: 'lv-bracket-row', 'aria-hidden': 'true' }, [bracket]));
        renderLanes(track, s.lanes, abi, model, depth + 1);
      }
    }
  }

  function segment(s, abi, model, depth) {
    const m = members.get(s.path);
    const classes = ['lv-seg', `lv-kind-${s.kind}`];
    if (s.colour >= 0 && s.kind !== 'bitfield') classes.push(`lv-c${s.colour}`);
    if (s.differs) classes.push(s.sizeDiffers ? 'lv-size-differs' : 'lv-differs');
    if (s.pointerSized) classes.push('lv-ptr');
    const expanded = s.kind === 'nested' && isExpanded(s.path);
    const el = h('div', {
      class: classes.join(' '),
      role: 'gridcell',
      tabindex: -1,
      'data-path': s.path,
      'data-abi': abi.abi,
      'data-offset': s.offset,
      'data-size': s.size,
      'aria-label': describe(s, abi),
      'aria-expanded': s.kind === 'nested' ? String(expanded) : undefined,
    });
    el.style.left = pct(s.offset, model.maxSize);
    el.style.width = pct(s.size, model.maxSize);
    el.style.setProperty('--lv-seg-cells', String(s.size / model.bytesPerCell));
    if (s.kind === 'padding') {
      el.append(h('span', { class: 'lv-seg-sub', text: `pad ${s.size}` }));
    } else if (s.kind === 'bitfield') {
      for (const b of s.bits) {
        const bit = h('div', { class: `lv-bit lv-c${b.colour}${b.differs ? (b.sizeDiffers ? ' lv-size-differs' : ' lv-differs') : ''}`, 'data-path': b.path, 'aria-hidden': 'true' }, [h('span', { class: 'lv-seg-name', text: label(b.path) }), h('span', { class: 'lv-seg-sub', text: `${b.bitWidth} bit${b.bitWidth === 1 ? '' : 's'}` })]);
        bit.style.left = pct(b.bitOffset, s.size * 8);
        bit.style.width = pct(b.bitWidth, s.size * 8);
        el.append(bit);
      }
    } else {
      if (s.kind === 'nested') el.append(h('span', { class: 'lv-chevron', 'aria-hidden': 'true', text: expanded ? '▾' : '▸', onclick: (e) => { e.stopPropagation(); setExpanded(s.path, !expanded); } }));
      el.append(h('span', { class: 'lv-seg-text' }, [h('span', { class: 'lv-seg-name', text: m ? m.label : s.path }), h('span', { class: 'lv-seg-sub', text: `+${s.offset} · ${bytes(s.size)}` })]));
    }
    el.addEventListener('mouseenter', (e) => { highlight(s.path, true); showTip(s, abi, e.target); });
    el.addEventListener('mouseleave', () => { highlight(s.path, false); hideTip(); });
    el.addEventListener('mousemove', (e) => moveTip(e));
    el.addEventListener('click', (e) => {
      const bit = /** @type {HTMLElement} */ (e.target).closest('.lv-bit');
      const path = bit ? bit.getAttribute('data-path') : s.path;
      setFocus(el);
      if (path) vscode.postMessage({ type: 'reveal', path });
    });
    el.addEventListener('focus', () => { state.focus = { abi: abi.abi, path: s.path, offset: s.offset }; highlight(s.path, true); showTip(s, abi, el); });
    el.addEventListener('blur', () => { highlight(s.path, false); hideTip(); });
    el.addEventListener('keydown', (e) => onSegmentKey(e, el, s));
    return el;
  }

  /** What a screen reader says for a cell. */
  function describe(s, abi) {
    if (s.kind === 'padding') return `padding, offset ${s.offset}, ${plural(s.size, 'byte')}, ${abi.abi}`;
    if (s.kind === 'bitfield') {
      const bits = s.bits.map((b) => `${label(b.path)} bits ${b.bitOffset} to ${b.bitOffset + b.bitWidth - 1}`).join('; ');
      return `bit-field unit, offset ${s.offset}, ${plural(s.size, 'byte')}, ${abi.abi}: ${bits}${s.differs ? (s.sizeDiffers ? ', size differs between ABIs' : ', moved between ABIs') : ''}`;
    }
    const m = members.get(s.path);
    const parts = [m ? m.label : s.path, m ? m.typeText : '', `offset ${s.offset}`, plural(s.size, 'byte'), abi.abi];
    if (s.pointerSized) parts.push('pointer-sized');
    if (s.differs) parts.push(s.sizeDiffers ? 'size differs between ABIs' : 'offset differs between ABIs');
    return parts.filter(Boolean).join(', ');
  }

  function highlight(path, on) {
    if (!path) return;
    for (const el of app.querySelectorAll('.lv-seg[data-path], .lv-bit[data-path], .lv-chip[data-path]')) {
      if (el.getAttribute('data-path') === path) el.classList.toggle('lv-hl', on);
    }
  }

  function ruler(model) {
    const step = rulerStep(model.maxSize);
    const marks = h('div', { class: 'lv-ruler' });
    for (let b = 0; b <= model.maxSize; b += step) {
      const tick = h('span', { class: 'lv-tick', text: String(b) });
      tick.style.left = pct(b, model.maxSize);
      marks.append(tick);
    }
    return h('div', { class: 'lv-row lv-ruler-row', 'aria-hidden': 'true' }, [h('div', { class: 'lv-rowhead lv-ruler-head', text: 'offset' }), marks]);
  }

  function rulerStep(maxSize) {
    let step = 1;
    while (maxSize / step > 16) step *= 2;
    return step;
  }

  /** Hides names and sizes in segments too narrow for them. */
  function fitLabels() {
    for (const el of app.querySelectorAll('.lv-seg, .lv-bit')) {
      const w = /** @type {HTMLElement} */ (el).getBoundingClientRect().width;
      el.classList.toggle('lv-tiny', w < 26);
      el.classList.toggle('lv-narrow', w < 64);
    }
    // A name wider than its box is shortened by rule (each word of the name cut
    // to the same length: MaximumLength, MaxiLeng, MaxLen, MaLe), the longest form
    // that fits; the hover tip and the legend keep the full name. The ellipsis
    // stays only for a box too small for even the shortest form.
    for (const name of /** @type {NodeListOf<HTMLElement>} */ (app.querySelectorAll('.lv-seg-name'))) {
      const full = name.dataset.full || name.textContent || '';
      name.dataset.full = full;
      name.textContent = full;
      if (name.scrollWidth <= name.clientWidth) continue;
      for (const short of shortenings(full)) {
        name.textContent = short;
        if (name.scrollWidth <= name.clientWidth) break;
      }
    }
    // Legend chips: columns as wide as the widest chip (name, type, mark), so no type is cut while the panel has room.
    const chips = /** @type {HTMLElement | null} */ (app.querySelector('.lv-chips'));
    if (chips) {
      chips.style.removeProperty('--lv-chip-min');
      let widest = 0;
      for (const b of /** @type {NodeListOf<HTMLElement>} */ (chips.querySelectorAll('.lv-chip'))) {
        const button = /** @type {HTMLElement} */ (b.firstElementChild);
        const indent = parseFloat(getComputedStyle(b).paddingLeft) || 0;
        widest = Math.max(widest, indent + [...button.children].reduce((sum, c) => sum + /** @type {HTMLElement} */ (c).scrollWidth, 0) + 7 * (button.children.length - 1) + 14);
      }
      chips.style.setProperty('--lv-chip-min', `${Math.min(Math.ceil(widest), chips.clientWidth)}px`);
    }
  }

  /** Shorter forms of a member name, longest first: every word (camelCase, _, digits) cut to n letters. */
  function shortenings(name) {
    const words = name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+|[^A-Za-z0-9]+/g) || [name];
    const out = [];
    for (let n = Math.max(...words.map((w) => w.length)) - 1; n >= 1; n--) {
      const short = words.map((w) => (/^[A-Za-z]+$/.test(w) ? w.slice(0, n) : w)).join('');
      if (short !== name && !out.includes(short)) out.push(short);
    }
    return out;
  }

  // ------------------------------------------------------------------ keyboard

  function ensureTabStop() {
    const cells = /** @type {HTMLElement[]} */ ([...app.querySelectorAll('.lv-seg')]);
    if (cells.length && !cells.some((c) => c.tabIndex === 0)) cells[0].tabIndex = 0;
  }

  function setFocus(el) {
    for (const c of app.querySelectorAll('.lv-seg[tabindex="0"]')) /** @type {HTMLElement} */ (c).tabIndex = -1;
    el.tabIndex = 0;
    el.focus();
  }

  function focusSegment(f) {
    const cells = /** @type {HTMLElement[]} */ ([...app.querySelectorAll('.lv-seg')]);
    const el = cells.find((c) => c.dataset.abi === f.abi && c.dataset.path === f.path && Number(c.dataset.offset) === f.offset) || cells.find((c) => c.dataset.abi === f.abi && c.dataset.path === f.path) || cells[0];
    if (el) setFocus(el);
  }

  function onSegmentKey(e, el, s) {
    const lane = el.parentElement;
    const inLane = /** @type {HTMLElement[]} */ ([...lane.querySelectorAll(':scope > .lv-seg')]);
    const i = inLane.indexOf(el);
    const lanes = /** @type {HTMLElement[]} */ ([...app.querySelectorAll('.lv-lane')]).filter((l) => l.querySelector('.lv-seg'));
    const li = lanes.indexOf(lane);
    const pick = (l) => {
      const cands = /** @type {HTMLElement[]} */ ([...l.querySelectorAll(':scope > .lv-seg')]);
      const at = s.offset;
      const start = (c) => Number(c.dataset.offset);
      return cands.find((c) => start(c) <= at && at < start(c) + Number(c.dataset.size)) ||
        cands.reduce((best, c) => (!best || Math.abs(start(c) - at) < Math.abs(start(best) - at) ? c : best), /** @type {HTMLElement | undefined} */ (undefined));
    };
    let next;
    switch (e.key) {
      case 'ArrowRight': next = inLane[i + 1]; break;
      case 'ArrowLeft': next = inLane[i - 1]; break;
      case 'Home': next = inLane[0]; break;
      case 'End': next = inLane[inLane.length - 1]; break;
      case 'ArrowDown': if (li >= 0 && li + 1 < lanes.length) next = pick(lanes[li + 1]); break;
      case 'ArrowUp': if (li > 0) next = pick(lanes[li - 1]); break;
      case 'Enter':
        e.preventDefault();
        if (s.path) vscode.postMessage({ type: 'reveal', path: s.path });
        return;
      case ' ':
      case '+':
      case '-':
        if (s.kind === 'nested') {
          e.preventDefault();
          state.focus = { abi: el.dataset.abi || '', path: s.path, offset: s.offset };
          setExpanded(s.path, e.key === ' ' ? !isExpanded(s.path) : e.key === '+');
          focusSegment(state.focus);
        }
        return;
      case 'Escape': hideTip(); return;
      default: return;
    }
    if (next) {
      e.preventDefault();
      setFocus(next);
    }
  }

  // ------------------------------------------------------------------ tooltip

  /** @type {HTMLElement | undefined} */
  let tip;

  function showTip(s, abi, anchor) {
    hideTip();
    const lines = [];
    if (s.kind === 'padding') {
      lines.push(h('div', { class: 'lv-tip-title', text: 'Padding' }), h('div', { class: 'lv-tip-row', text: `${abi.abi}: offset ${s.offset}, ${bytes(s.size)}` }));
    } else {
      const paths = s.kind === 'bitfield' ? s.bits.map((b) => b.path) : [s.path];
      for (const p of paths) {
        const m = members.get(p);
        if (!m) continue;
        lines.push(h('div', { class: 'lv-tip-title' }, [h('span', { class: `lv-swatch lv-c${m.colour}` }), m.path.replace(/<anonymous#\d+>/g, m.label), h('span', { class: 'lv-tip-type', text: m.typeText })]));
        for (const pa of m.perAbi) {
          const bits = pa.bitWidth !== undefined ? `, bits ${pa.bitOffset}–${pa.bitOffset + pa.bitWidth - 1}` : '';
          const pad = pa.paddingAfter ? `, ${bytes(pa.paddingAfter)} padding after` : '';
          lines.push(h('div', { class: `lv-tip-row${pa.abi === abi.abi ? ' lv-tip-current' : ''}`, text: `${pa.abi}: offset ${pa.offset}, ${bytes(pa.size)}, align ${pa.align}${bits}${pad}` }));
        }
        const flags = [m.pointerSized ? 'pointer-sized' : '', m.differs ? (m.sizeDiffers ? 'size differs between ABIs' : 'moved: offset differs between ABIs') : ''].filter(Boolean).join(' · ');
        if (flags) lines.push(h('div', { class: `lv-tip-flags${m.differs ? ' lv-tip-warn' : ''}`, text: flags }));
      }
      lines.push(h('div', { class: 'lv-tip-hint', text: s.kind === 'nested' ? 'Click to reveal · Space to expand' : 'Click or Enter to reveal in source' }));
    }
    tip = h('div', { class: 'lv-tip', role: 'tooltip' }, lines);
    document.body.append(tip);
    const r = anchor.getBoundingClientRect();
    placeTip(r.left, r.bottom + 6);
  }

  function moveTip(e) {
    if (tip) placeTip(e.clientX + 12, e.clientY + 16);
  }

  function placeTip(x, y) {
    if (!tip) return;
    const w = tip.offsetWidth;
    const hgt = tip.offsetHeight;
    const maxX = window.innerWidth - w - 8;
    const top = y + hgt > window.innerHeight - 4 ? Math.max(4, y - hgt - 28) : y;
    tip.style.left = `${Math.max(4, Math.min(x, maxX))}px`;
    tip.style.top = `${top}px`;
  }

  function hideTip() {
    if (tip) tip.remove();
    tip = undefined;
  }

  // ------------------------------------------------------------------ legend

  function legend(model) {
    const shown = model.members.filter((m) => !m.parent || ancestorsExpanded(m));
    const chips = shown.map((m) =>
      h('li', { class: `lv-chip lv-depth-${Math.min(m.depth, 3)}`, 'data-path': m.path }, [
        h('button', { class: 'lv-chip-button', type: 'button', title: 'Reveal in source', onclick: () => vscode.postMessage({ type: 'reveal', path: m.path }), onmouseenter: () => highlight(m.path, true), onmouseleave: () => highlight(m.path, false) }, [
          h('span', { class: `lv-swatch lv-c${m.colour}${m.pointerSized ? ' lv-ptr' : ''}`, 'aria-hidden': 'true' }),
          h('span', { class: 'lv-chip-name', text: m.label }),
          h('span', { class: 'lv-chip-type', title: `${m.label}: ${m.typeText}`, text: m.typeText }),
          mark(m),
        ]),
      ]),
    );
    const keys = h('ul', { class: 'lv-keys', 'aria-label': 'Key' }, [
      h('li', {}, [h('span', { class: 'lv-key lv-key-padding', 'aria-hidden': 'true' }), 'padding']),
      h('li', {}, [h('span', { class: 'lv-key lv-key-size-differs', 'aria-hidden': 'true' }), 'size differs between ABIs']),
      h('li', {}, [h('span', { class: 'lv-key lv-key-differs', 'aria-hidden': 'true' }), 'moved (offset differs)']),
      h('li', {}, [h('span', { class: 'lv-key lv-key-ptr', 'aria-hidden': 'true' }), 'pointer-sized']),
      model.members.some((m) => m.kind === 'bitfield') ? h('li', {}, [h('span', { class: 'lv-key lv-key-bits', 'aria-hidden': 'true' }), 'bit-fields inside their unit']) : null,
    ]);
    return h('section', { class: 'lv-legend', 'aria-label': 'Legend' }, [h('h2', { class: 'lv-legend-title', text: 'Members' }), h('ul', { class: 'lv-chips' }, chips), keys]);
  }

  /** The small tag after a member's name: its size differs (the cause) or it only moved. */
  function mark(m) {
    if (!m.differs) return null;
    return m.sizeDiffers
      ? h('span', { class: 'lv-chip-mark lv-mark-differs', title: 'size differs between ABIs', text: 'size ≠' })
      : h('span', { class: 'lv-chip-mark lv-mark-moved', title: 'offset differs between ABIs', text: 'moved' });
  }

  function ancestorsExpanded(m) {
    for (let p = m.parent; p; p = members.get(p) ? members.get(p).parent : undefined) if (!isExpanded(p)) return false;
    return true;
  }

  // ------------------------------------------------------------------ table

  function tableView(model) {
    const head1 = h('tr', {}, [h('th', { scope: 'col', rowspan: 2, text: 'Member' }), h('th', { scope: 'col', rowspan: 2, text: 'Type' }), ...model.abis.map((a) => h('th', { scope: 'colgroup', colspan: 3, class: 'lv-th-abi', text: `${a.abi} · ${bytes(a.size)}` }))]);
    const head2 = h('tr', {}, model.abis.flatMap(() => [h('th', { scope: 'col', class: 'lv-num', text: 'Offset' }), h('th', { scope: 'col', class: 'lv-num', text: 'Size' }), h('th', { scope: 'col', class: 'lv-num', text: 'Align' })]));
    const rows = [];
    for (const m of model.members) {
      const name = h('th', { scope: 'row', class: `lv-td-name lv-depth-${Math.min(m.depth, 3)}` }, [
        h('span', { class: `lv-swatch lv-c${m.colour}`, 'aria-hidden': 'true' }),
        h('button', { class: 'lv-link', type: 'button', title: 'Reveal in source', onclick: () => vscode.postMessage({ type: 'reveal', path: m.path }), text: m.label }),
        m.pointerSized ? h('span', { class: 'lv-chip-mark lv-mark-ptr', title: 'pointer-sized', text: 'ptr' }) : null,
        mark(m),
      ]);
      const cells = model.abis.flatMap((a) => {
        const p = m.perAbi.find((x) => x.abi === a.abi);
        const cls = `lv-num${m.differs ? ' lv-td-differs' : ''}`;
        if (!p) return [h('td', { class: cls, colspan: 3, text: '—' })];
        const off = p.bitWidth !== undefined ? `${p.offset} (bits ${p.bitOffset}–${p.bitOffset + p.bitWidth - 1})` : String(p.offset);
        return [h('td', { class: cls, text: off }), h('td', { class: cls, text: String(p.size) }), h('td', { class: cls, text: String(p.align) })];
      });
      rows.push(h('tr', { class: m.differs ? 'lv-tr-differs' : undefined }, [name, h('td', { class: 'lv-td-type', text: m.typeText }), ...cells]));
      if (m.perAbi.some((p) => p.paddingAfter > 0)) {
        const pads = model.abis.flatMap((a) => {
          const p = m.perAbi.find((x) => x.abi === a.abi);
          return p && p.paddingAfter > 0 ? [h('td', { class: 'lv-num', text: String(p.offset + p.size) }), h('td', { class: 'lv-num', text: String(p.paddingAfter) }), h('td', {})] : [h('td', { class: 'lv-num', colspan: 3, text: '—' })];
        });
        rows.push(h('tr', { class: 'lv-tr-padding' }, [h('th', { scope: 'row', class: `lv-td-name lv-depth-${Math.min(m.depth, 3)}` }, [h('span', { class: 'lv-swatch lv-key-padding', 'aria-hidden': 'true' }), 'padding']), h('td', {}), ...pads]));
      }
    }
    return h('section', { class: 'lv-table-wrap', 'aria-label': 'Table' }, [
      h('table', { class: 'lv-table' }, [
        h('caption', { text: `${model.kind} ${model.name}: offset, size and alignment of each member per ABI, in bytes` }),
        h('thead', {}, [head1, head2]),
        h('tbody', {}, rows),
      ]),
    ]);
  }

  // ------------------------------------------------------------------ messages

  window.addEventListener('message', (event) => {
    const msg = event.data;
    if (msg && msg.type === 'view' && (msg.view === 'map' || msg.view === 'table')) {
      state.view = msg.view;
      persist();
      render();
      return;
    }
    if (!msg || msg.type !== 'model') return;
    state.model = msg.model;
    state.notice = msg.notice;
    state.follow = msg.follow !== false;
    render();
  });
  let resizeTimer;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(fitLabels, 50);
  });
  vscode.postMessage({ type: 'ready' });
})();
