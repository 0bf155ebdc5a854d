/* Bürgerservice-Chat widget for the Gemeinden of Baden-Württemberg.
 * Embed with one line:
 *   <script src="https://GATEWAY/widget.js" data-ags="08119020" data-title="Stadt Fellbach" defer></script>
 * Optional: data-privacy-url="https://www.example.de/datenschutz" (default: the gateway's demo page).
 * The switch "Leichte Sprache" (remembered per Gemeinde) sends lang "de-LS" with each message; the
 * gateway sets the conversation's language in the assistant, the Leistung and the place stay.
 * The embedding site's origin must be listed for that AGS in the gateway's config/tenants.yml.
 * Plain ES2020, no dependencies, no build step. Renders into a shadow root so the host page's
 * CSS cannot break it. Bot and user text is only ever inserted as text nodes (no HTML parsing);
 * http(s) URLs, [label](url) links and **bold** become <a>/<strong> elements via DOM APIs. */
(() => {
  'use strict';
  const script = document.currentScript;
  if (!script || window.__bwChatWidget) return;
  window.__bwChatWidget = true;

  const base = new URL(script.src, location.href).origin;
  const ags = script.dataset.ags || '';
  if (!/^08\d{6}$/.test(ags)) {
    console.error('[Bürgerservice-Chat] data-ags fehlt oder ist ungültig (8 Ziffern, beginnend mit 08).');
    return;
  }
  const title = (script.dataset.title || '').trim().slice(0, 80) || 'Ihre Gemeinde';
  const place = title.replace(/^(Landeshauptstadt|Universitätsstadt|Große Kreisstadt|Stadt|Gemeinde)\s+/, '');
  const privacyUrl = script.dataset.privacyUrl || `${base}/demo/datenschutz.html`;
  const KEY = `bw-chat:v1:${ags}`;
  const RETENTION_MS = 30 * 24 * 3600 * 1000;
  const MAX_STORED = 120;
  const UNREACHABLE = 'Der Chat ist gerade nicht erreichbar. Bitte versuchen Sie es später noch einmal.';
  const reducedMotion = window.matchMedia ? window.matchMedia('(prefers-reduced-motion: reduce)') : { matches: false };
  // Answer languages the gateway accepts (bot/languages.py) and the HTML lang of their messages.
  const LANGS = { de: 'de', 'de-LS': 'de' };

  // ---------- state (persisted per Gemeinde in localStorage) ----------
  const uuid4 = () => {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  const load = () => {
    try {
      const s = JSON.parse(localStorage.getItem(KEY) || 'null');
      if (s && typeof s.senderId === 'string' && Array.isArray(s.messages) && Date.now() - (s.savedAt || 0) < RETENTION_MS) {
        if (!(s.lang in LANGS)) s.lang = 'de';
        return s;
      }
    } catch (e) { /* storage blocked or corrupt: start fresh */ }
    return { senderId: uuid4(), messages: [], open: false, lang: 'de' };
  };
  const state = load();
  const save = () => {
    try {
      const messages = state.messages.filter((m) => !m.transient).slice(-MAX_STORED);
      localStorage.setItem(KEY, JSON.stringify({ senderId: state.senderId, messages, open: state.open, lang: state.lang, savedAt: Date.now() }));
    } catch (e) { /* private mode: conversation simply isn't kept */ }
  };

  // ---------- tiny DOM helpers ----------
  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else if (v !== false && v != null) node.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children) if (c != null) node.append(c);
    return node;
  };
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const icon = (d) => {
    const svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24'); svg.setAttribute('aria-hidden', 'true'); svg.setAttribute('focusable', 'false');
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d); svg.append(path);
    return svg;
  };
  const ICONS = {
    chat: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm2 5v2h12V9H6zm0 4v2h8v-2H6z',
    close: 'M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6 10.6 12 5 6.4z',
    up: 'M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6V3a1.5 1.5 0 0 0-.4-1L13 1 6.6 7.4C6.2 7.8 6 8.3 6 8.8V19a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z',
    down: 'M22 3h-4v12h4V3zM2 14a2 2 0 0 0 2 2h6.3l-1 4.6V21c0 .4.2.8.4 1l1.3 1 6.4-6.4c.4-.4.6-.9.6-1.4V5a2 2 0 0 0-2-2H7c-.8 0-1.5.5-1.8 1.2l-3 7.1c-.1.2-.2.5-.2.7v2z',
  };

  // ---------- safe rich text: text nodes + <a>/<strong> built with DOM APIs ----------
  const TOKEN = /\*\*([^*\n]+?)\*\*|\[([^\]\n]{1,200})\]\((https?:\/\/[^\s()<>]+)\)|(https?:\/\/[^\s<>"']+)/g;
  const link = (href, label) => {
    let url;
    try { url = new URL(href); } catch (e) { return document.createTextNode(label); }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return document.createTextNode(label);
    return el('a', { href: url.href, target: '_blank', rel: 'noopener noreferrer' },
      label, el('span', { class: 'sr-only', text: ' (öffnet in neuem Tab)' }));
  };
  const rich = (parent, text) => {
    let last = 0;
    for (const m of text.matchAll(TOKEN)) {
      let end = m.index + m[0].length;
      parent.append(text.slice(last, m.index));
      if (m[1] !== undefined) {
        const strong = el('strong');
        rich(strong, m[1]);
        parent.append(strong);
      } else if (m[2] !== undefined) {
        parent.append(link(m[3], m[2]));
      } else {
        const url = m[4].replace(/[.,;:!?)\]]+$/, '');
        end = m.index + url.length;
        parent.append(link(url, url));
      }
      last = end;
    }
    parent.append(text.slice(last));
  };

  // ---------- layout ----------
  const host = el('aside', { class: 'bw-chat-host', 'aria-label': `Chat mit dem Bürgerservice – ${title}` });
  const root = host.attachShadow({ mode: 'open' });
  root.append(el('link', { rel: 'stylesheet', href: `${base}/widget.css` }));

  const logEl = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': 'Chatverlauf' });
  const typing = el('div', { class: 'typing', hidden: true },
    el('span', { class: 'dot', 'aria-hidden': 'true' }), el('span', { class: 'dot', 'aria-hidden': 'true' }),
    el('span', { class: 'dot', 'aria-hidden': 'true' }), el('span', { class: 'sr-only', text: 'Der Bürgerservice schreibt …' }));
  const typingStatus = el('div', { class: 'sr-only', role: 'status' });
  const privacy = el('p', { class: 'privacy' },
    el('strong', { text: 'Datenschutz: ' }),
    'Ihre Nachrichten werden zur Beantwortung verarbeitet und mit dem Gesprächsverlauf 30 Tage gespeichert, danach gelöscht. IP-Adressen speichern wir nicht. Bitte geben Sie keine sensiblen Daten (z. B. Gesundheitsdaten, Steuer-ID) ein. ',
    link(privacyUrl, 'Mehr zum Datenschutz'));
  // Handoff (bot/console): with explicit consent, the conversation and a contact go to the Gemeinde.
  const hoContact = el('input', { id: 'bwc-ho-contact', class: 'ho-input', type: 'text', maxlength: '200', autocomplete: 'email' });
  const hoNote = el('input', { id: 'bwc-ho-note', class: 'ho-input', type: 'text', maxlength: '1000' });
  const hoConsent = el('input', { id: 'bwc-ho-consent', type: 'checkbox' });
  const hoStatus = el('p', { class: 'ho-status', role: 'status' });
  const hoForm = el('form', { class: 'ho', hidden: true, novalidate: true, 'aria-label': 'Gespräch an die Gemeinde senden' },
    el('p', { text: `Mit Ihrer Einwilligung senden wir diesen Gesprächsverlauf und Ihre Kontaktangabe an ${title}. Die Gemeinde nutzt beides nur, um Ihnen zu antworten; nach 30 Tagen wird es gelöscht.` }),
    el('label', { for: 'bwc-ho-contact', text: 'E-Mail-Adresse oder Telefonnummer' }), hoContact,
    el('label', { for: 'bwc-ho-note', text: 'Ihre Nachricht an die Gemeinde (freiwillig)' }), hoNote,
    el('p', { class: 'ho-consent' }, hoConsent, el('label', { for: 'bwc-ho-consent', text: 'Ich bin einverstanden, dass der Gesprächsverlauf und meine Kontaktangabe an die Gemeinde gehen.' })),
    el('p', { class: 'ho-actions' }, el('button', { type: 'submit', class: 'ho-send', text: 'An die Gemeinde senden' }),
      el('button', { type: 'button', class: 'ho-cancel', text: 'Abbrechen', onclick: () => { hoForm.hidden = true; hoOpen.focus(); } })),
    hoStatus);
  const hoOpen = el('button', { type: 'button', class: 'ho-open', 'aria-expanded': 'false', text: 'Persönliche Antwort gewünscht? Gespräch an die Gemeinde senden',
    onclick: () => { hoForm.hidden = false; hoOpen.setAttribute('aria-expanded', 'true'); hoContact.focus(); } });
  hoForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!hoConsent.checked) { hoStatus.textContent = 'Bitte bestätigen Sie Ihr Einverständnis.'; hoConsent.focus(); return; }
    try {
      const data = await post('/chat/handoff', { sender_id: state.senderId, ags, consent: true, contact: hoContact.value.trim(), note: hoNote.value.trim() });
      hoStatus.textContent = data.message || 'Gesendet.';
      hoContact.value = ''; hoNote.value = ''; hoConsent.checked = false;
    } catch (e) { hoStatus.textContent = e instanceof TypeError ? UNREACHABLE : e.message; }
  });
  const scroller = el('div', { class: 'scroller' }, privacy, hoOpen, hoForm, logEl, typing);
  const input = el('input', {
    id: 'bwc-input', class: 'input', type: 'text', maxlength: '1000', autocomplete: 'off',
    enterkeyhint: 'send', placeholder: 'Ihre Frage …',
  });
  const form = el('form', { class: 'compose', novalidate: true },
    el('label', { class: 'sr-only', for: 'bwc-input', text: 'Ihre Nachricht an den Bürgerservice' }),
    input, el('button', { type: 'submit', class: 'send', text: 'Senden' }));
  const closeBtn = el('button', { type: 'button', class: 'icon-btn', 'aria-label': 'Chat schließen' }, icon(ICONS.close));
  const resetBtn = el('button', { type: 'button', class: 'text-btn', 'aria-label': 'Gespräch neu beginnen und Verlauf löschen', text: 'Neu' });
  // Leichte Sprache: a real toggle button (aria-pressed), so keyboard and screen readers use it like any button.
  const plainMark = el('span', { class: 'ls-mark', 'aria-hidden': 'true', text: '✓' });
  const plainBtn = el('button', { type: 'button', class: 'ls-toggle', 'aria-pressed': 'false' }, plainMark, el('span', { text: 'Leichte Sprache' }));
  const plainStatus = el('div', { class: 'sr-only', role: 'status' });
  const dialog = el('section', { id: 'bwc-dialog', class: 'dialog', role: 'dialog', 'aria-labelledby': 'bwc-title', hidden: true },
    el('header', { class: 'head' },
      el('div', { class: 'titles' },
        el('h2', { id: 'bwc-title', class: 'title', text: 'Digitaler Bürgerservice' }),
        el('p', { class: 'subtitle', text: title })),
      resetBtn, closeBtn),
    el('div', { class: 'tools' }, plainBtn), scroller, form, typingStatus, plainStatus);
  const launcher = el('button', { type: 'button', class: 'launcher', 'aria-expanded': 'false', 'aria-controls': 'bwc-dialog' },
    icon(ICONS.chat), el('span', { text: 'Chat: Bürgerservice' }));
  const wrap = el('div', { class: 'bwc' }, dialog, launcher);
  root.append(wrap);

  // ---------- rendering ----------
  const scrollToEnd = () => {
    scroller.scrollTo({ top: scroller.scrollHeight, behavior: reducedMotion.matches ? 'auto' : 'smooth' });
  };
  const feedbackBar = (m) => {
    const thanks = el('span', { class: 'fb-thanks', text: m.feedback ? 'Danke für Ihre Rückmeldung!' : '' });
    const mk = (value, label) => el('button', {
      type: 'button', class: 'fb-btn', 'aria-label': label, 'aria-pressed': String(m.feedback === value),
      onclick: (ev) => { sendFeedback(m, value, ev.currentTarget.parentElement, thanks); },
    }, icon(ICONS[value]));
    return el('div', { class: 'fb', role: 'group', 'aria-label': 'War diese Antwort hilfreich?' },
      mk('up', 'Antwort war hilfreich'), mk('down', 'Antwort war nicht hilfreich'), thanks);
  };
  const renderMessage = (m) => {
    const who = m.from === 'user' ? 'Sie' : 'Bürgerservice';
    // Every message carries its language for screen readers (Leichte Sprache is German: "de").
    const row = el('div', { class: `msg ${m.from}${m.error ? ' error' : ''}`, lang: LANGS[m.lang] || 'de', 'data-lang': m.lang || 'de' });
    const bubble = el('div', { class: 'bubble' }, el('span', { class: 'sr-only', text: `${who}: ` }));
    if (m.from === 'user') bubble.append(m.text); else rich(bubble, m.text || '');
    if (m.text) row.append(bubble);
    if (m.buttons && m.buttons.length) {
      row.append(el('div', { class: 'quick', role: 'group', 'aria-label': 'Antwortmöglichkeiten' },
        ...m.buttons.map((b) => el('button', { type: 'button', class: 'qr', text: b.title, onclick: () => choose(b) }))));
    }
    if (m.fb) row.append(feedbackBar(m));
    logEl.append(row);
  };
  const add = (m) => { state.messages.push(m); renderMessage(m); save(); scrollToEnd(); };

  const greeting = () => {
    const of = /^(Stadt|Gemeinde|Landeshauptstadt|Universitätsstadt)\s/.test(title) ? `der ${title}`
      : /^Große Kreisstadt\s/.test(title) ? `der ${title.replace(/^Große/, 'Großen')}` : `für ${title}`;
    if (state.lang === 'de-LS') {
      return `Guten Tag!\nIch bin der digitale Bürger-Service ${of}.\nIch helfe Ihnen bei Fragen an das Amt.\nIch denke: Sie wohnen in ${place}.\nWohnen Sie woanders? Dann schreiben Sie mir Ihren Ort.`;
    }
    return `Guten Tag! Ich bin der digitale Bürgerservice ${of}. Ich helfe Ihnen, Ihr Anliegen zu klären und die zuständige Stelle zu finden. Ich gehe davon aus, dass Sie in ${place} wohnen – nennen Sie gern einen anderen Ort.`;
  };
  const greet = () => add({ from: 'bot', text: greeting(), local: true, lang: state.lang });

  // ---------- Leichte Sprache ----------
  const showLang = () => {
    const on = state.lang === 'de-LS';
    plainBtn.setAttribute('aria-pressed', String(on));
    plainMark.hidden = !on;
    wrap.classList.toggle('plain', on);
  };
  plainBtn.addEventListener('click', () => {
    state.lang = state.lang === 'de-LS' ? 'de' : 'de-LS';
    showLang(); save();
    // The conversation goes on (same Leistung, same place); only the next answers change their language.
    plainStatus.textContent = state.lang === 'de-LS'
      ? 'Leichte Sprache ist an. Die nächsten Antworten sind in Leichter Sprache.'
      : 'Leichte Sprache ist aus. Die nächsten Antworten sind in Standard-Sprache.';
  });

  // ---------- talking to the gateway ----------
  let queue = Promise.resolve();
  let pending = 0;
  const setTyping = (on) => {
    pending += on ? 1 : -1;
    typing.hidden = pending === 0;
    typingStatus.textContent = pending ? 'Der Bürgerservice schreibt …' : '';
    if (pending) scrollToEnd();
  };
  const post = async (path, body) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), credentials: 'omit',
    });
    let data = null;
    try { data = await res.json(); } catch (e) { /* not JSON: handled below */ }
    if (!res.ok) throw new Error((data && data.error && data.error.message) || UNREACHABLE);
    return data || {};
  };
  const showError = (message) => add({ from: 'bot', text: message || UNREACHABLE, error: true, transient: true });
  const send = (body) => {
    queue = queue.then(async () => {
      setTyping(true);
      try {
        const lang = state.lang;
        const data = await post('/chat/messages', { sender_id: state.senderId, ags, lang, ...body });
        const msgs = (data.messages || []).filter((m) => m && (m.text || (m.buttons && m.buttons.length)));
        msgs.forEach((m, i) => add({ from: 'bot', id: m.id, text: m.text || '', buttons: m.buttons || [], fb: i === msgs.length - 1, lang }));
      } catch (e) {
        showError(e instanceof TypeError ? UNREACHABLE : e.message);
      } finally { setTyping(false); }
    });
    return queue;
  };
  const choose = (button) => {
    add({ from: 'user', text: button.title, lang: state.lang });
    send(button.payload.startsWith('/') ? { payload: button.payload } : { message: button.payload });
  };
  const sendFeedback = async (m, value, bar, thanks) => {
    m.feedback = value; save();
    bar.querySelectorAll('.fb-btn').forEach((b, i) => b.setAttribute('aria-pressed', String((i === 0 ? 'up' : 'down') === value)));
    try {
      await post('/chat/feedback', { sender_id: state.senderId, message_id: m.id, value, ags });
      thanks.textContent = 'Danke für Ihre Rückmeldung!';
    } catch (e) {
      thanks.textContent = 'Rückmeldung konnte nicht gesendet werden.';
    }
  };

  // ---------- open / close, keyboard ----------
  const setOpen = (open, { focus = true } = {}) => {
    state.open = open;
    dialog.hidden = !open;
    wrap.classList.toggle('open', open);
    launcher.setAttribute('aria-expanded', String(open));
    if (open && !state.messages.length) greet();
    save();
    if (open) { scroller.scrollTop = scroller.scrollHeight; if (focus) input.focus(); } else if (focus) launcher.focus();
  };
  launcher.addEventListener('click', () => setOpen(!state.open));
  closeBtn.addEventListener('click', () => setOpen(false));
  resetBtn.addEventListener('click', () => {
    state.messages = []; state.senderId = uuid4(); logEl.replaceChildren();
    greet(); input.focus();
  });
  dialog.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') { ev.preventDefault(); setOpen(false); }
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) { input.focus(); return; }
    input.value = '';
    add({ from: 'user', text, lang: state.lang });
    send({ message: text });
  });

  showLang();
  state.messages.forEach(renderMessage);
  const mount = () => {
    document.body.append(host);
    if (state.open) setOpen(true, { focus: false });
  };
  if (document.body) mount(); else document.addEventListener('DOMContentLoaded', mount);
})();
