// SPDX-License-Identifier: GPL-2.0
// Copyright (C) 2026 The openMosix-NG developers.
//
// omwebd's page: nodes with load and memory bars, the processes and where
// they run, migration events as they happen (server-sent events), the
// load of the last hour.  Everything from the kernel is put in the page
// as text (textContent), never as markup: a process may name itself
// "<script>".
'use strict';

const TOKEN_KEY = 'omwebd.token';
const COLORS = ['#3572b0', '#c0392b', '#2e8b57', '#8e44ad', '#d68910', '#16a085',
	'#7f8c8d', '#e84393', '#2c3e50', '#b7950b'];
const S = {
	module: null, error: null, self: null, status: null,
	nodes: [], procs: [], history: null,
	sort: 'pid', sortDir: 1, events: 0,
	token: sessionStorage.getItem(TOKEN_KEY) || '',
};

function el(tag, attrs, ...kids) {
	const e = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === null || v === undefined || v === false)
			continue;
		if (k === 'class')
			e.className = v;
		else if (k === 'style')
			e.style.cssText = v; // CSSOM: allowed by the CSP, an attribute is not
		else if (k.startsWith('on'))
			e.addEventListener(k.slice(2), v);
		else
			e.setAttribute(k, v === true ? '' : String(v));
	}
	for (const k of kids) {
		if (k === null || k === undefined)
			continue;
		e.append(k instanceof Node ? k : document.createTextNode(String(k)));
	}
	return e;
}

const $ = (id) => document.getElementById(id);

function fmtLoad(l) {
	return (l / 100).toFixed(2);
}

function fmtBytes(b) {
	const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
	let i = 0;
	while (b >= 1024 && i < u.length - 1) {
		b /= 1024;
		i++;
	}
	return (i ? b.toFixed(1) : String(b)) + ' ' + u[i];
}

function fmtTime(ms) {
	return new Date(ms).toLocaleTimeString([], { hour12: false });
}

async function getJSON(url) {
	const r = await fetch(url, { cache: 'no-store' });
	let body = null;
	try {
		body = await r.json();
	} catch (e) {
		body = null;
	}
	return { status: r.status, body };
}

// ---- data ----------------------------------------------------------

let refreshTimer = null;
function refreshSoon(ms) {
	if (refreshTimer)
		return;
	refreshTimer = setTimeout(() => {
		refreshTimer = null;
		refresh();
	}, ms);
}

/*
 * One look at a time: a look started while another is under way runs
 * right after it, so an older answer (a TCG guest takes a while) never
 * lands on top of a newer one.
 */
let refreshing = false;
let refreshAgain = false;
async function refresh() {
	if (refreshing) {
		refreshAgain = true;
		return;
	}
	refreshing = true;
	do {
		refreshAgain = false;
		try {
			const [st, nd, pr] = await Promise.all([getJSON('/api/status'),
				getJSON('/api/nodes'), getJSON('/api/procs')]);
			const b = nd.body || {};
			S.module = b.module === true;
			S.error = b.error || (nd.status !== 200 ? 'HTTP ' + nd.status : null);
			S.self = b.self;
			S.status = st.body && st.body.status;
			S.nodes = (S.module && b.nodes) || [];
			S.procs = (S.module && pr.body && pr.body.procs) || [];
		} catch (e) {
			S.module = null;
			S.error = 'omwebd does not answer (' + e.message + ')';
		}
		render();
	} while (refreshAgain);
	refreshing = false;
}

async function refreshHistory() {
	try {
		const h = await getJSON('/api/history');
		if (h.status === 200)
			S.history = h.body;
	} catch (e) {
		// the next round tries again
	}
	drawChart();
}

// ---- rendering -----------------------------------------------------

function render() {
	const banner = $('banner');
	document.body.dataset.module = S.module === true ? 'loaded' : 'unloaded';
	if (S.module !== true) {
		banner.hidden = false;
		banner.textContent = S.error || 'openmosix module not loaded';
	} else {
		banner.hidden = true;
	}
	$('title-node').textContent = S.self ? '· node ' + S.self : '';
	const st = S.status;
	$('summary').textContent = st ? `${st.nodes_up} of ${st.nodes_total} nodes up · ` +
		`module ${st.version} · key ${st.key_set ? 'set' : 'not set'}` : '';
	renderNodes();
	renderProcs();
}

function bar(cls, frac, label) {
	const f = Math.max(0, Math.min(1, frac || 0));
	return el('div', { class: 'bar ' + cls, title: label },
		el('span', { style: `width:${(f * 100).toFixed(1)}%` }), el('em', {}, label));
}

function renderNodes() {
	const box = $('nodes');
	box.replaceChildren();
	if (!S.nodes.length) {
		box.append(el('p', { class: 'empty' },
			S.module === true ? 'no nodes in the node table' : (S.error || 'no data')));
		return;
	}
	for (const n of S.nodes) {
		const here = S.procs.filter((p) => !p.guest && p.where === n.id).length;
		const away = S.procs.filter((p) => !p.guest && p.where === n.id && p.home !== n.id).length;
		const guests = n.self ? S.procs.filter((p) => p.guest).length : null;
		const cap = Math.max(1, n.cpus) * 100;
		const used = Math.max(0, n.mem_total - n.mem_free);
		const cls = ['node', n.state === 'up' ? 'up' : 'down', n.blocked ? 'blocked' : ''].join(' ');
		const card = el('div', { class: cls, 'data-node': n.id, 'data-state': n.state },
			el('h3', {}, `node ${n.id}${n.self ? ' (this node)' : ''}`,
				el('span', { class: 'state' }, n.blocked ? 'blocked' : n.state)),
			el('div', { class: 'addr' }, n.address + (n.port ? ':' + n.port : '')),
			bar('load', n.load / cap, `load ${fmtLoad(n.load)} on ${n.cpus} CPU${n.cpus === 1 ? '' : 's'}`),
			bar('mem', n.mem_total ? used / n.mem_total : 0,
				`memory ${fmtBytes(used)} of ${fmtBytes(n.mem_total)}`),
			el('div', { class: 'facts' },
				`speed ${n.speed} · ${here} process${here === 1 ? '' : 'es'} of ours here` +
				(away ? ` (${away} migrated)` : '') +
				(guests !== null ? ` · ${guests} guest${guests === 1 ? '' : 's'}` : '') +
				(n.last_heard_ms !== null && n.last_heard_ms !== undefined ?
					` · heard ${(n.last_heard_ms / 1000).toFixed(1)} s ago` : '')));
		card.addEventListener('dragover', (ev) => {
			if (n.state !== 'up')
				return;
			ev.preventDefault();
			card.classList.add('drop');
		});
		card.addEventListener('dragleave', () => card.classList.remove('drop'));
		card.addEventListener('drop', (ev) => {
			ev.preventDefault();
			card.classList.remove('drop');
			const pid = Number(ev.dataTransfer.getData('text/plain'));
			const p = S.procs.find((x) => x.pid === pid);
			if (!p)
				return;
			if (n.id === p.home && p.where !== p.home)
				action(pid, 'home');
			else if (n.id !== p.where)
				action(pid, 'migrate', n.id);
		});
		box.append(card);
	}
}

function procMatches(p, f) {
	if ($('only-away').checked && p.where === p.home)
		return false;
	if (!f)
		return true;
	return String(p.pid) === f || p.comm.toLowerCase().includes(f) ||
		String(p.where) === f || String(p.home) === f;
}

function renderProcs() {
	const body = $('procs').tBodies[0];
	const f = $('filter').value.trim().toLowerCase();
	const key = S.sort;
	const list = S.procs.filter((p) => procMatches(p, f)).sort((a, b) => {
		const x = a[key], y = b[key];
		return (x < y ? -1 : x > y ? 1 : a.pid - b.pid) * S.sortDir;
	});
	const upNodes = S.nodes.filter((n) => n.state === 'up' && !n.blocked);
	const can = !!S.token;
	body.replaceChildren();
	for (const p of list) {
		const away = p.where !== p.home;
		const sel = el('select', { 'aria-label': 'target node', disabled: !can });
		for (const n of upNodes)
			if (n.id !== p.where)
				sel.append(el('option', { value: n.id }, 'node ' + n.id));
		const acts = el('td', {},
			sel,
			el('button', { disabled: !can || !sel.options.length, title: can ? '' : 'set the admin token',
				onclick: () => action(p.pid, 'migrate', Number(sel.value)) }, 'migrate'),
			' ',
			el('button', { disabled: !can || !away, onclick: () => action(p.pid, 'home') }, 'home'),
			' ',
			el('button', { disabled: !can, onclick: () => action(p.pid, p.locked ? 'unlock' : 'lock') },
				p.locked ? 'unlock' : 'lock'));
		const tr = el('tr', { class: away ? 'away' : '', 'data-pid': p.pid, 'data-where': p.where,
			'data-home': p.home, draggable: can && !p.guest ? 'true' : null },
			el('td', { class: 'num' }, p.pid),
			el('td', {}, p.comm + (p.guest ? ' (guest)' : '')),
			el('td', { class: 'num' }, p.uid),
			el('td', { class: 'num' }, p.where),
			el('td', { class: 'num' }, p.home),
			el('td', { class: 'num' }, p.nmigs),
			el('td', {}, p.locked ? 'yes' : 'no'),
			el('td', { class: 'cantmove' }, p.cantmove || '-'),
			p.guest ? el('td', {}, '-') : acts);
		tr.addEventListener('dragstart', (ev) => ev.dataTransfer.setData('text/plain', String(p.pid)));
		body.append(tr);
	}
	$('procs-note').textContent = S.module === true ?
		`${list.length} of ${S.procs.length} processes` +
		(can ? '' : ' · actions need the admin token') : '';
}

// ---- load history chart (canvas, no library) ---------------------------

function drawChart() {
	const c = $('chart');
	const dpr = window.devicePixelRatio || 1;
	const w = c.clientWidth, h = c.clientHeight;
	c.width = Math.round(w * dpr);
	c.height = Math.round(h * dpr);
	const g = c.getContext('2d');
	g.setTransform(dpr, 0, 0, dpr, 0, 0);
	g.clearRect(0, 0, w, h);
	const H = S.history;
	const padL = 40, padB = 20, padT = 8, padR = 8;
	const pw = w - padL - padR, ph = h - padT - padB;
	const end = H && H.times.length ? H.times[H.times.length - 1] : Date.now();
	const span = H ? H.span_ms : 3600000;
	let max = 100;
	if (H)
		for (const s of H.series)
			for (const v of s.load)
				if (v !== null && v > max)
					max = v;
	max = Math.ceil(max / 100) * 100;
	g.font = '11px sans-serif';
	g.fillStyle = '#65707d';
	g.strokeStyle = '#e3e7eb';
	g.lineWidth = 1;
	for (let i = 0; i <= 4; i++) {
		const y = padT + ph - (ph * i) / 4;
		g.beginPath();
		g.moveTo(padL, y);
		g.lineTo(padL + pw, y);
		g.stroke();
		g.fillText(fmtLoad((max * i) / 4), 4, y + 4);
	}
	for (let m = 0; m <= 60; m += 10) {
		const x = padL + pw - (pw * m * 60000) / span;
		g.fillText(m ? `-${m} min` : 'now', Math.max(padL, x - 18), h - 5);
	}
	const legend = $('legend');
	legend.replaceChildren();
	if (!H || !H.series.length) {
		g.fillText(S.module === true ? 'collecting…' : 'no history: ' + (S.error || 'no data'),
			padL + 10, padT + 20);
		return;
	}
	H.series.forEach((s, i) => {
		const col = COLORS[i % COLORS.length];
		g.strokeStyle = col;
		g.lineWidth = 1.5;
		g.beginPath();
		let pen = false;
		s.load.forEach((v, k) => {
			if (v === null) {
				pen = false;
				return;
			}
			const x = padL + pw - (pw * (end - H.times[k])) / span;
			const y = padT + ph - (ph * v) / max;
			if (pen)
				g.lineTo(x, y);
			else
				g.moveTo(x, y);
			pen = true;
		});
		g.stroke();
		legend.append(el('span', { 'data-node': s.node }, el('i', { style: 'background:' + col }),
			'node ' + s.node));
	});
}

// ---- events --------------------------------------------------------

function eventText(e) {
	const ev = e.event;
	if (e.kind === 'module')
		return ev.loaded ? 'openmosix module loaded' : 'openmosix module not loaded';
	if (e.kind === 'node')
		return `node ${ev.node.id} ${ev.event} (${ev.node.address})`;
	if (e.kind === 'migration') {
		const p = ev.proc;
		const who = `process ${p.pid} (${p.comm})`;
		switch (ev.event) {
		case 'start': return `${who} leaving for node ${p.where}`;
		case 'arrived': return `${who} arrived at node ${p.where}`;
		case 'failed': return `${who} failed to migrate: ${ev.reason || 'no reason given'}`;
		case 'home': return `${who} came home to node ${p.home}`;
		case 'guest-in': return `${who} guest in from node ${p.home}`;
		case 'guest-out': return `${who} guest out, home node ${p.home}`;
		default: return `${who} ${ev.event}`;
		}
	}
	return JSON.stringify(ev);
}

function addEvent(e) {
	const list = $('events');
	const ev = e.event || {};
	const li = el('li', { class: ev.event === 'failed' ? 'failed' : '', 'data-id': e.id,
		'data-kind': e.kind, 'data-event': ev.event === 'module' ? (ev.loaded ? 'loaded' : 'unloaded') : ev.event,
		'data-pid': ev.proc ? ev.proc.pid : null, 'data-where': ev.proc ? ev.proc.where : null,
		'data-time': e.time },
		el('time', {}, fmtTime(e.time)), eventText(e));
	list.prepend(li);
	while (list.children.length > 200)
		list.lastChild.remove();
	S.events++;
}

/* A home process arrived somewhere or came home: its row says so at once */
function moveRow(e) {
	const ev = e.event || {};
	if (e.kind !== 'migration' || (ev.event !== 'arrived' && ev.event !== 'home') || !ev.proc)
		return false;
	const p = (S.procs || []).find((q) => q.pid === ev.proc.pid && !q.guest);
	if (!p)
		return false;
	p.where = ev.event === 'home' ? p.home : ev.proc.where;
	return true;
}

function startEvents() {
	const es = new EventSource('/api/events?backlog=50');
	const live = $('live');
	es.onopen = () => {
		live.textContent = 'live';
		live.classList.remove('off');
	};
	es.onerror = () => {
		live.textContent = 'reconnecting';
		live.classList.add('off');
	};
	for (const kind of ['migration', 'node', 'module', 'other']) {
		es.addEventListener(kind, (m) => {
			let e;
			try {
				e = JSON.parse(m.data);
				addEvent(e);
			} catch (err) {
				return;
			}
			if (moveRow(e))
				render();
			refreshSoon(150);
		});
	}
	es.addEventListener('lost', () => refreshSoon(0));
}

// ---- actions -------------------------------------------------------

async function action(pid, verb, node) {
	const out = $('action-result');
	if (!S.token) {
		out.className = 'note err';
		out.textContent = 'set the admin token first';
		return;
	}
	let url = `/api/procs/${pid}/${verb}`;
	if (verb === 'migrate')
		url += '?node=' + encodeURIComponent(node);
	out.className = 'note';
	out.textContent = `${verb} ${pid}${node ? ' to node ' + node : ''}…`;
	try {
		const r = await fetch(url, { method: 'POST', cache: 'no-store',
			headers: { Authorization: 'Bearer ' + S.token } });
		const b = await r.json().catch(() => ({}));
		if (r.ok) {
			out.className = 'note ok';
			out.textContent = `${verb} ${pid}: done` +
				(b.usecs !== undefined ? ` (${b.pages} pages, ${(b.usecs / 1000).toFixed(1)} ms frozen)` : '');
		} else {
			out.className = 'note err';
			out.textContent = `${verb} ${pid}: ${b.error || 'HTTP ' + r.status}`;
		}
	} catch (e) {
		out.className = 'note err';
		out.textContent = `${verb} ${pid}: ${e.message}`;
	}
	refreshSoon(0);
}

function tokenState() {
	$('token-state').textContent = S.token ? 'token set for this tab' : 'no token: view only';
}

function init() {
	$('token-form').addEventListener('submit', (ev) => {
		ev.preventDefault();
		const t = $('token').value.trim();
		if (!/^[0-9a-fA-F]{64}$/.test(t)) {
			$('token-state').textContent = 'a token is 64 hex digits';
			return;
		}
		S.token = t;
		sessionStorage.setItem(TOKEN_KEY, t);
		$('token').value = '';
		tokenState();
		renderProcs();
	});
	$('token-clear').addEventListener('click', () => {
		S.token = '';
		sessionStorage.removeItem(TOKEN_KEY);
		tokenState();
		renderProcs();
	});
	$('filter').addEventListener('input', renderProcs);
	$('only-away').addEventListener('change', renderProcs);
	for (const th of document.querySelectorAll('th[data-sort]')) {
		th.addEventListener('click', () => {
			const k = th.dataset.sort;
			S.sortDir = S.sort === k ? -S.sortDir : 1;
			S.sort = k;
			renderProcs();
		});
	}
	window.addEventListener('resize', drawChart);
	tokenState();
	refresh();
	refreshHistory();
	startEvents();
	setInterval(refresh, 5000);
	setInterval(refreshHistory, 10000);
}

init();
