/* Bürgerservice-Chat widget for the Gemeinden of Baden-Württemberg.
 * Embed with one line:
 *   <script src="https://GATEWAY/widget.js" data-ags="08119020" data-title="Stadt Fellbach" defer></script>
 * Optional: data-privacy-url="https://www.example.de/datenschutz" (default: the gateway's demo page).
 * Languages: the menu (Deutsch, Leichte Sprache, English, Türkçe, Українська) and the switch
 * "Leichte Sprache" set the citizen's choice (remembered per Gemeinde); once chosen, every message is
 * sent with that `lang`, otherwise none is sent and the gateway may detect the language. The reply's
 * `lang` becomes each answer's `lang` attribute and, while nothing is chosen, the widget's language.
 * All the widget's own texts are in TEXTS below (one block per language).
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
  const reducedMotion = window.matchMedia ? window.matchMedia('(prefers-reduced-motion: reduce)') : { matches: false };
  // Answer languages the gateway accepts (bot/languages.py) and the HTML lang of their messages.
  const LANGS = { de: 'de', 'de-LS': 'de', en: 'en', tr: 'tr', uk: 'uk' };
  // The menu: each language named in itself.
  const LANG_NAMES = { de: 'Deutsch', 'de-LS': 'Leichte Sprache', en: 'English', tr: 'Türkçe', uk: 'Українська' };
  const canonical = (v) => (typeof v === 'string' && Object.keys(LANGS).find((k) => k.toLowerCase() === v.toLowerCase())) || null;
  // "der Stadt Fellbach", "der Großen Kreisstadt …", "für Ihre Gemeinde" (German greeting only).
  const of = /^(Stadt|Gemeinde|Landeshauptstadt|Universitätsstadt)\s/.test(title) ? `der ${title}`
    : /^Große Kreisstadt\s/.test(title) ? `der ${title.replace(/^Große/, 'Großen')}` : `für ${title}`;
  const VARS = { title, place, of };
  // Gateway error codes whose German message the widget has in the other languages (German shows the gateway's).
  const CODES = {
    temporarily_unavailable: 'unavailable', upstream_error: 'unreachable', upstream_timeout: 'unreachable',
    busy: 'busy', rate_limited: 'tooMany', too_many_pending: 'wait', consent_required: 'consentMissing',
    invalid_contact: 'badContact',
  };

  // ---------- the widget's own texts: one block per language ({title}, {place}, {of} are filled in) ----------
  // Leichte Sprache (de-LS) has only what differs from Deutsch; every other text falls back to Deutsch.
  const TEXTS = {
    de: {
      host: 'Chat mit dem Bürgerservice – {title}', launcher: 'Chat: Bürgerservice', title: 'Digitaler Bürgerservice',
      langLabel: 'Sprache', close: 'Chat schließen', reset: 'Neu', resetLabel: 'Gespräch neu beginnen und Verlauf löschen',
      privacyTitle: 'Datenschutz: ',
      privacy: 'Ihre Nachrichten werden zur Beantwortung verarbeitet und mit dem Gesprächsverlauf 30 Tage gespeichert, danach gelöscht. IP-Adressen speichern wir nicht. Bitte geben Sie keine sensiblen Daten (z. B. Gesundheitsdaten, Steuer-ID) ein. ',
      privacyLink: 'Mehr zum Datenschutz', newTab: ' (öffnet in neuem Tab)',
      hoOpen: 'Persönliche Antwort gewünscht? Gespräch an die Gemeinde senden', hoForm: 'Gespräch an die Gemeinde senden',
      hoIntro: 'Mit Ihrer Einwilligung senden wir diesen Gesprächsverlauf und Ihre Kontaktangabe an {title}. Die Gemeinde nutzt beides nur, um Ihnen zu antworten; nach 30 Tagen wird es gelöscht.',
      hoContact: 'E-Mail-Adresse oder Telefonnummer', hoNote: 'Ihre Nachricht an die Gemeinde (freiwillig)',
      hoConsent: 'Ich bin einverstanden, dass der Gesprächsverlauf und meine Kontaktangabe an die Gemeinde gehen.',
      hoSend: 'An die Gemeinde senden', hoCancel: 'Abbrechen', consentMissing: 'Bitte bestätigen Sie Ihr Einverständnis.',
      sent: 'Gesendet.', log: 'Chatverlauf', typing: 'Der Bürgerservice schreibt …',
      inputLabel: 'Ihre Nachricht an den Bürgerservice', placeholder: 'Ihre Frage …', send: 'Senden',
      you: 'Sie', bot: 'Bürgerservice', quick: 'Antwortmöglichkeiten',
      fb: 'War diese Antwort hilfreich?', fbUp: 'Antwort war hilfreich', fbDown: 'Antwort war nicht hilfreich',
      fbThanks: 'Danke für Ihre Rückmeldung!', fbFailed: 'Rückmeldung konnte nicht gesendet werden.',
      unreachable: 'Der Chat ist gerade nicht erreichbar. Bitte versuchen Sie es später noch einmal.',
      now: 'Die nächsten Antworten kommen auf Deutsch.',
      plainOff: 'Leichte Sprache ist aus. Die nächsten Antworten sind in Standard-Sprache.',
      greeting: 'Guten Tag! Ich bin der digitale Bürgerservice {of}. Ich helfe Ihnen, Ihr Anliegen zu klären und die zuständige Stelle zu finden. Ich gehe davon aus, dass Sie in {place} wohnen – nennen Sie gern einen anderen Ort.',
    },
    'de-LS': {
      now: 'Leichte Sprache ist an. Die nächsten Antworten sind in Leichter Sprache.',
      greeting: 'Guten Tag!\nIch bin der digitale Bürger-Service {of}.\nIch helfe Ihnen bei Fragen an das Amt.\nIch denke: Sie wohnen in {place}.\nWohnen Sie woanders? Dann schreiben Sie mir Ihren Ort.',
    },
    en: {
      host: 'Chat with the citizen service – {title}', launcher: 'Chat: citizen service', title: 'Digital citizen service',
      langLabel: 'Language', close: 'Close chat', reset: 'New', resetLabel: 'Start a new conversation and delete the history',
      privacyTitle: 'Privacy: ',
      privacy: 'Your messages are processed to answer you and stored with the conversation for 30 days, then deleted. We do not store IP addresses. Please do not enter sensitive data (for example health data, your tax ID). ',
      privacyLink: 'More about privacy (in German)', newTab: ' (opens in a new tab)',
      hoOpen: 'Would you like a personal answer? Send the conversation to the municipality', hoForm: 'Send the conversation to the municipality',
      hoIntro: 'With your consent, we send this conversation and your contact details to {title}. The municipality uses both only to answer you; they are deleted after 30 days.',
      hoContact: 'Email address or phone number', hoNote: 'Your message to the municipality (optional)',
      hoConsent: 'I agree that the conversation and my contact details are sent to the municipality.',
      hoSend: 'Send to the municipality', hoCancel: 'Cancel', consentMissing: 'Please confirm that you agree.',
      hoDone: 'Thank you. Your request has reached the municipality; they will contact you.',
      sent: 'Sent.', log: 'Chat history', typing: 'The citizen service is typing …',
      inputLabel: 'Your message to the citizen service', placeholder: 'Your question …', send: 'Send',
      you: 'You', bot: 'Citizen service', quick: 'Answer options',
      fb: 'Was this answer helpful?', fbUp: 'The answer was helpful', fbDown: 'The answer was not helpful',
      fbThanks: 'Thank you for your feedback!', fbFailed: 'Your feedback could not be sent.',
      unreachable: 'The chat cannot be reached right now. Please try again later.',
      unavailable: 'The assistant is briefly unavailable. Please try again in a minute.',
      busy: 'The chat is very busy right now. Please send your message again in a moment.',
      tooMany: 'Too many requests. Please try again shortly.', wait: 'Please wait for the answers to your previous messages.',
      badContact: 'Please enter a valid email address or phone number.',
      now: 'The next answers will be in English.',
      greeting: 'Hello! I am the digital citizen service of {title}. I help you with your request and find the office responsible for it. I assume that you live in {place} – you are welcome to name another place.',
    },
    tr: {
      host: 'Vatandaş hizmeti ile sohbet – {title}', launcher: 'Sohbet: vatandaş hizmeti', title: 'Dijital vatandaş hizmeti',
      langLabel: 'Dil', close: 'Sohbeti kapat', reset: 'Yeni', resetLabel: 'Yeni sohbet başlat ve geçmişi sil',
      privacyTitle: 'Veri koruma: ',
      privacy: 'Mesajlarınız size yanıt vermek için işlenir ve sohbet geçmişiyle birlikte 30 gün saklanır, sonra silinir. IP adreslerini saklamıyoruz. Lütfen hassas veriler (örneğin sağlık verileri, vergi kimlik numaranız) girmeyin. ',
      privacyLink: 'Veri koruma hakkında daha fazla bilgi (Almanca)', newTab: ' (yeni sekmede açılır)',
      hoOpen: 'Kişisel bir yanıt mı istiyorsunuz? Sohbeti belediyeye gönderin', hoForm: 'Sohbeti belediyeye gönderin',
      hoIntro: 'Onayınızla bu sohbet geçmişini ve iletişim bilginizi belediyeye ({title}) göndeririz. Belediye bunları yalnızca size yanıt vermek için kullanır; 30 gün sonra silinir.',
      hoContact: 'E-posta adresi veya telefon numarası', hoNote: 'Belediyeye mesajınız (isteğe bağlı)',
      hoConsent: 'Sohbet geçmişinin ve iletişim bilgimin belediyeye gönderilmesini kabul ediyorum.',
      hoSend: 'Belediyeye gönder', hoCancel: 'İptal', consentMissing: 'Lütfen onay verdiğinizi işaretleyin.',
      hoDone: 'Teşekkür ederiz. Talebiniz belediyeye ulaştı; belediye sizinle iletişime geçecek.',
      sent: 'Gönderildi.', log: 'Sohbet geçmişi', typing: 'Vatandaş hizmeti yazıyor …',
      inputLabel: 'Vatandaş hizmetine mesajınız', placeholder: 'Sorunuz …', send: 'Gönder',
      you: 'Siz', bot: 'Vatandaş hizmeti', quick: 'Yanıt seçenekleri',
      fb: 'Bu yanıt yardımcı oldu mu?', fbUp: 'Yanıt yardımcı oldu', fbDown: 'Yanıt yardımcı olmadı',
      fbThanks: 'Geri bildiriminiz için teşekkür ederiz!', fbFailed: 'Geri bildiriminiz gönderilemedi.',
      unreachable: 'Sohbete şu anda ulaşılamıyor. Lütfen daha sonra tekrar deneyin.',
      unavailable: 'Asistan kısa bir süre için kullanılamıyor. Lütfen bir dakika sonra tekrar deneyin.',
      busy: 'Sohbet şu anda çok yoğun. Lütfen mesajınızı birazdan tekrar gönderin.',
      tooMany: 'Çok fazla istek gönderildi. Lütfen birazdan tekrar deneyin.', wait: 'Lütfen önceki mesajlarınızın yanıtlarını bekleyin.',
      badContact: 'Lütfen geçerli bir e-posta adresi veya telefon numarası girin.',
      now: 'Sonraki yanıtlar Türkçe olacak.',
      greeting: 'Merhaba! Ben {title} için dijital vatandaş hizmetiyim. Talebinizi netleştirmenize ve yetkili birimi bulmanıza yardımcı oluyorum. Yaşadığınız yerin {place} olduğunu varsayıyorum – farklıysa başka bir yer yazabilirsiniz.',
    },
    uk: {
      host: 'Чат із сервісом для громадян – {title}', launcher: 'Чат: сервіс для громадян', title: 'Цифровий сервіс для громадян',
      langLabel: 'Мова', close: 'Закрити чат', reset: 'Нова', resetLabel: 'Нова розмова: почати знову й видалити історію',
      privacyTitle: 'Захист даних: ',
      privacy: 'Ваші повідомлення обробляються, щоб відповісти Вам, і зберігаються разом з історією розмови 30 днів, після чого їх видаляють. IP-адреси ми не зберігаємо. Будь ласка, не вводьте чутливі дані (наприклад, дані про здоров’я, податковий номер). ',
      privacyLink: 'Детальніше про захист даних (німецькою)', newTab: ' (відкривається в новій вкладці)',
      hoOpen: 'Бажаєте отримати особисту відповідь? Надішліть розмову до громади', hoForm: 'Надіслати розмову до громади',
      hoIntro: 'З Вашої згоди ми надішлемо цю розмову та Ваші контактні дані до громади ({title}). Громада використовує їх лише для відповіді Вам; через 30 днів їх буде видалено.',
      hoContact: 'Адреса електронної пошти або номер телефону', hoNote: 'Ваше повідомлення для громади (необов’язково)',
      hoConsent: 'Я погоджуюся, що історію розмови та мої контактні дані буде передано громаді.',
      hoSend: 'Надіслати до громади', hoCancel: 'Скасувати', consentMissing: 'Будь ласка, підтвердіть свою згоду.',
      hoDone: 'Дякуємо. Ваш запит надійшов до громади; з Вами зв’яжуться.',
      sent: 'Надіслано.', log: 'Історія чату', typing: 'Сервіс для громадян пише …',
      inputLabel: 'Ваше повідомлення для сервісу', placeholder: 'Ваше запитання …', send: 'Надіслати',
      you: 'Ви', bot: 'Сервіс для громадян', quick: 'Варіанти відповіді',
      fb: 'Чи була ця відповідь корисною?', fbUp: 'Відповідь була корисною', fbDown: 'Відповідь не була корисною',
      fbThanks: 'Дякуємо за Ваш відгук!', fbFailed: 'Не вдалося надіслати відгук.',
      unreachable: 'Чат зараз недоступний. Будь ласка, спробуйте пізніше.',
      unavailable: 'Асистент ненадовго недоступний. Будь ласка, спробуйте ще раз за хвилину.',
      busy: 'Чат зараз дуже завантажений. Будь ласка, надішліть повідомлення ще раз за мить.',
      tooMany: 'Забагато запитів. Будь ласка, спробуйте ще раз трохи згодом.', wait: 'Будь ласка, дочекайтеся відповідей на Ваші попередні повідомлення.',
      badContact: 'Будь ласка, вкажіть правильну адресу електронної пошти або номер телефону.',
      now: 'Наступні відповіді будуть українською мовою.',
      greeting: 'Добрий день! Я — цифровий сервіс для громадян ({title}). Я допоможу Вам з’ясувати Ваше питання й знайти відповідальну установу. Я виходжу з того, що Ви живете тут: {place}. Якщо ні, назвіть, будь ласка, інше місце.',
    },
  };

  // ---------- state (persisted per Gemeinde in localStorage) ----------
  const uuid4 = () => {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  // lang: the citizen's explicit choice (sent with every message) or null; shown: the widget's language
  // (the choice, or what the gateway answered in while nothing is chosen).
  const load = () => {
    try {
      const s = JSON.parse(localStorage.getItem(KEY) || 'null');
      if (s && typeof s.senderId === 'string' && Array.isArray(s.messages) && Date.now() - (s.savedAt || 0) < RETENTION_MS) {
        if (!('shown' in s) && s.lang === 'de') s.lang = null; // before the menu, "de" was the default, not a choice
        s.lang = canonical(s.lang);
        s.shown = s.lang || canonical(s.shown) || 'de';
        return s;
      }
    } catch (e) { /* storage blocked or corrupt: start fresh */ }
    return { senderId: uuid4(), messages: [], open: false, lang: null, shown: 'de' };
  };
  const state = load();
  const save = () => {
    try {
      const messages = state.messages.filter((m) => !m.transient).slice(-MAX_STORED);
      localStorage.setItem(KEY, JSON.stringify({
        senderId: state.senderId, messages, open: state.open, lang: state.lang, shown: state.shown, savedAt: Date.now(),
      }));
    } catch (e) { /* private mode: conversation simply isn't kept */ }
  };
  /** The widget's text `key` in `lang` (default: the widget's language), falling back to Deutsch. */
  const t = (key, lang = state.shown) => {
    const text = (TEXTS[lang] && TEXTS[lang][key]) ?? TEXTS.de[key] ?? '';
    return text.replace(/\{(\w+)\}/g, (all, name) => VARS[name] ?? all);
  };
  const isGerman = (lang) => LANGS[lang] === 'de';

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
    globe: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm6.9 6h-3a15.7 15.7 0 0 0-1.3-3.6A8 8 0 0 1 18.9 8zM12 4c.8 1.2 1.5 2.5 1.9 4h-3.8c.4-1.5 1.1-2.8 1.9-4zM4.3 14a8.2 8.2 0 0 1 0-4h3.4a16.5 16.5 0 0 0 0 4H4.3zm.8 2h3a15.7 15.7 0 0 0 1.3 3.6A8 8 0 0 1 5.1 16zm3-8h-3a8 8 0 0 1 4.3-3.6C8.8 5.5 8.4 6.7 8 8zM12 20c-.8-1.2-1.5-2.5-1.9-4h3.8c-.4 1.5-1.1 2.8-1.9 4zm2.3-6H9.7a14.7 14.7 0 0 1 0-4h4.6a14.7 14.7 0 0 1 0 4zm.3 5.6c.6-1.1 1-2.3 1.4-3.6h3a8 8 0 0 1-4.4 3.6zm1.8-5.6a16.5 16.5 0 0 0 0-4h3.4a8.2 8.2 0 0 1 0 4h-3.4z',
  };

  // ---------- safe rich text: text nodes + <a>/<strong> built with DOM APIs ----------
  const TOKEN = /\*\*([^*\n]+?)\*\*|\[([^\]\n]{1,200})\]\((https?:\/\/[^\s()<>]+)\)|(https?:\/\/[^\s<>"']+)/g;
  // `lang`: the language of the text around the link (its hint "opens in a new tab"); null: the widget's, kept current.
  const link = (href, label, lang) => {
    const plain = typeof label === 'string' ? document.createTextNode(label) : label;
    let url;
    try { url = new URL(href); } catch (e) { return plain; }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return plain;
    return el('a', { href: url.href, target: '_blank', rel: 'noopener noreferrer' },
      plain, el('span', { class: 'sr-only', ...(lang ? { text: t('newTab', lang) } : { 'data-t': 'newTab' }) }));
  };
  const rich = (parent, text, lang) => {
    let last = 0;
    for (const m of text.matchAll(TOKEN)) {
      let end = m.index + m[0].length;
      parent.append(text.slice(last, m.index));
      if (m[1] !== undefined) {
        const strong = el('strong');
        rich(strong, m[1], lang);
        parent.append(strong);
      } else if (m[2] !== undefined) {
        parent.append(link(m[3], m[2], lang));
      } else {
        const url = m[4].replace(/[.,;:!?)\]]+$/, '');
        end = m.index + url.length;
        parent.append(link(url, url, lang));
      }
      last = end;
    }
    parent.append(text.slice(last));
  };

  // ---------- layout (own texts: data-t = text, data-t-label = aria-label, data-t-ph = placeholder) ----------
  const host = el('aside', { class: 'bw-chat-host' });
  const root = host.attachShadow({ mode: 'open' });
  root.append(el('link', { rel: 'stylesheet', href: `${base}/widget.css` }));

  const logEl = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'data-t-label': 'log' });
  const typing = el('div', { class: 'typing', hidden: true },
    el('span', { class: 'dot', 'aria-hidden': 'true' }), el('span', { class: 'dot', 'aria-hidden': 'true' }),
    el('span', { class: 'dot', 'aria-hidden': 'true' }), el('span', { class: 'sr-only', 'data-t': 'typing' }));
  const typingStatus = el('div', { class: 'sr-only', role: 'status' });
  const privacy = el('p', { class: 'privacy' },
    el('strong', { 'data-t': 'privacyTitle' }), el('span', { 'data-t': 'privacy' }),
    link(privacyUrl, el('span', { 'data-t': 'privacyLink' }), null));
  // Handoff (bot/console): with explicit consent, the conversation and a contact go to the Gemeinde.
  const hoContact = el('input', { id: 'bwc-ho-contact', class: 'ho-input', type: 'text', maxlength: '200', autocomplete: 'email' });
  const hoNote = el('input', { id: 'bwc-ho-note', class: 'ho-input', type: 'text', maxlength: '1000' });
  const hoConsent = el('input', { id: 'bwc-ho-consent', type: 'checkbox' });
  const hoStatus = el('p', { class: 'ho-status', role: 'status' });
  const hoForm = el('form', { class: 'ho', hidden: true, novalidate: true, 'data-t-label': 'hoForm' },
    el('p', { 'data-t': 'hoIntro' }),
    el('label', { for: 'bwc-ho-contact', 'data-t': 'hoContact' }), hoContact,
    el('label', { for: 'bwc-ho-note', 'data-t': 'hoNote' }), hoNote,
    el('p', { class: 'ho-consent' }, hoConsent, el('label', { for: 'bwc-ho-consent', 'data-t': 'hoConsent' })),
    el('p', { class: 'ho-actions' }, el('button', { type: 'submit', class: 'ho-send', 'data-t': 'hoSend' }),
      el('button', { type: 'button', class: 'ho-cancel', 'data-t': 'hoCancel', onclick: () => { hoForm.hidden = true; hoOpen.focus(); } })),
    hoStatus);
  const hoOpen = el('button', { type: 'button', class: 'ho-open', 'aria-expanded': 'false', 'data-t': 'hoOpen',
    onclick: () => { hoForm.hidden = false; hoOpen.setAttribute('aria-expanded', 'true'); hoContact.focus(); } });
  hoForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!hoConsent.checked) { hoStatus.textContent = t('consentMissing'); hoConsent.focus(); return; }
    try {
      const data = await post('/chat/handoff', { sender_id: state.senderId, ags, consent: true, contact: hoContact.value.trim(), note: hoNote.value.trim() });
      hoStatus.textContent = (!isGerman(state.shown) && t('hoDone')) || data.message || t('sent');
      hoContact.value = ''; hoNote.value = ''; hoConsent.checked = false;
    } catch (e) { hoStatus.textContent = errorText(e).text; }
  });
  const scroller = el('div', { class: 'scroller' }, privacy, hoOpen, hoForm, logEl, typing);
  const input = el('input', {
    id: 'bwc-input', class: 'input', type: 'text', maxlength: '1000', autocomplete: 'off',
    enterkeyhint: 'send', 'data-t-ph': 'placeholder',
  });
  const form = el('form', { class: 'compose', novalidate: true },
    el('label', { class: 'sr-only', for: 'bwc-input', 'data-t': 'inputLabel' }),
    input, el('button', { type: 'submit', class: 'send', 'data-t': 'send' }));
  const closeBtn = el('button', { type: 'button', class: 'icon-btn', 'data-t-label': 'close' }, icon(ICONS.close));
  const resetBtn = el('button', { type: 'button', class: 'text-btn', 'data-t-label': 'resetLabel', 'data-t': 'reset' });
  // The language menu: a native select (keyboard and screen readers know it), each language named in itself.
  const langSelect = el('select', { id: 'bwc-lang', class: 'lang-select' },
    ...Object.entries(LANG_NAMES).map(([tag, name]) => el('option', { value: tag, lang: LANGS[tag], text: name })));
  const langPick = el('div', { class: 'lang-pick' },
    icon(ICONS.globe), el('label', { for: 'bwc-lang', 'data-t': 'langLabel' }), langSelect);
  // Leichte Sprache: a real toggle button (aria-pressed), so keyboard and screen readers use it like any button.
  // Its name is German in every widget language (lang="de"), like the menu's entry.
  const plainMark = el('span', { class: 'ls-mark', 'aria-hidden': 'true', text: '✓' });
  const plainBtn = el('button', { type: 'button', class: 'ls-toggle', 'aria-pressed': 'false', lang: 'de' },
    plainMark, el('span', { text: LANG_NAMES['de-LS'] }));
  const langStatus = el('div', { class: 'sr-only', role: 'status' });
  const dialog = el('section', { id: 'bwc-dialog', class: 'dialog', role: 'dialog', 'aria-labelledby': 'bwc-title', hidden: true },
    el('header', { class: 'top' },
      el('div', { class: 'head' },
        el('div', { class: 'titles' },
          el('h2', { id: 'bwc-title', class: 'title', 'data-t': 'title' }),
          el('p', { class: 'subtitle', text: title })),
        resetBtn, closeBtn),
      el('div', { class: 'tools' }, langPick, plainBtn)),
    scroller, form, typingStatus, langStatus);
  const launcher = el('button', { type: 'button', class: 'launcher', 'aria-expanded': 'false', 'aria-controls': 'bwc-dialog' },
    icon(ICONS.chat), el('span', { 'data-t': 'launcher' }));
  const wrap = el('div', { class: 'bwc' }, dialog, launcher);
  root.append(wrap);

  /** Put the widget's texts in its language into `scope` (the whole widget, or a new feedback bar). */
  const applyTexts = (scope = wrap) => {
    const all = (sel) => [...(scope.matches(sel) ? [scope] : []), ...scope.querySelectorAll(sel)];
    all('[data-t]').forEach((n) => { n.textContent = t(n.dataset.t); });
    all('[data-t-label]').forEach((n) => n.setAttribute('aria-label', t(n.dataset.tLabel)));
    all('[data-t-ph]').forEach((n) => n.setAttribute('placeholder', t(n.dataset.tPh)));
    all('[data-ui]').forEach((n) => n.setAttribute('lang', LANGS[state.shown])); // UI inside a message
  };

  // ---------- rendering ----------
  const scrollToEnd = () => {
    scroller.scrollTo({ top: scroller.scrollHeight, behavior: reducedMotion.matches ? 'auto' : 'smooth' });
  };
  const feedbackBar = (m) => {
    // The bar belongs to the widget, not to the answer: it follows the widget's language (data-ui).
    const thanks = el('span', { class: 'fb-thanks', 'data-t': m.feedback ? 'fbThanks' : false });
    const mk = (value, key) => el('button', {
      type: 'button', class: 'fb-btn', 'data-t-label': key, 'aria-pressed': String(m.feedback === value),
      onclick: (ev) => { sendFeedback(m, value, ev.currentTarget.parentElement, thanks); },
    }, icon(ICONS[value]));
    const bar = el('div', { class: 'fb', role: 'group', 'data-t-label': 'fb', 'data-ui': true },
      mk('up', 'fbUp'), mk('down', 'fbDown'), thanks);
    applyTexts(bar);
    return bar;
  };
  const renderMessage = (m) => {
    // Every message carries its language for screen readers (Leichte Sprache is German: "de");
    // what the widget adds to it (who wrote it, "opens in a new tab") is in that language too.
    const lang = canonical(m.lang) || 'de';
    const row = el('div', { class: `msg ${m.from}${m.error ? ' error' : ''}`, lang: LANGS[lang], 'data-lang': lang });
    const bubble = el('div', { class: 'bubble' }, el('span', { class: 'sr-only', text: `${t(m.from === 'user' ? 'you' : 'bot', lang)}: ` }));
    if (m.from === 'user') bubble.append(m.text); else rich(bubble, m.text || '', lang);
    if (m.text) row.append(bubble);
    if (m.buttons && m.buttons.length) {
      row.append(el('div', { class: 'quick', role: 'group', 'aria-label': t('quick', lang) },
        ...m.buttons.map((b) => el('button', { type: 'button', class: 'qr', text: b.title, onclick: () => choose(b) }))));
    }
    if (m.fb) row.append(feedbackBar(m));
    logEl.append(row);
  };
  const add = (m) => { state.messages.push(m); renderMessage(m); save(); scrollToEnd(); };
  const greet = () => add({ from: 'bot', text: t('greeting'), local: true, lang: state.shown });

  // ---------- language: menu, switch, labels ----------
  const showLang = () => {
    const on = state.shown === 'de-LS';
    plainBtn.setAttribute('aria-pressed', String(on));
    plainMark.hidden = !on;
    wrap.classList.toggle('plain', on);
    langSelect.value = state.shown;
    host.setAttribute('lang', LANGS[state.shown]);
    wrap.setAttribute('lang', LANGS[state.shown]);
    host.setAttribute('aria-label', t('host'));
    applyTexts();
  };
  /** The citizen chose a language: from now on it is sent with every message and remembered. */
  const chooseLang = (lang) => {
    const before = state.shown;
    state.lang = lang; state.shown = lang;
    showLang();
    // Nothing said yet but the greeting: greet again in the new language.
    if (state.messages.every((m) => m.local)) { state.messages = []; logEl.replaceChildren(); greet(); }
    save();
    // The conversation goes on (same Leistung, same place); only the next answers change their language.
    langStatus.textContent = lang === 'de' && before === 'de-LS' ? t('plainOff') : t('now');
  };
  langSelect.addEventListener('change', () => chooseLang(langSelect.value));
  plainBtn.addEventListener('click', () => chooseLang(state.shown === 'de-LS' ? 'de' : 'de-LS'));

  // ---------- talking to the gateway ----------
  let queue = Promise.resolve();
  let pending = 0;
  const setTyping = (on) => {
    pending += on ? 1 : -1;
    typing.hidden = pending === 0;
    typingStatus.textContent = pending ? t('typing') : '';
    if (pending) scrollToEnd();
  };
  const post = async (path, body) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), credentials: 'omit',
    });
    let data = null;
    try { data = await res.json(); } catch (e) { /* not JSON: handled below */ }
    if (!res.ok) {
      const error = (data && data.error) || {};
      throw Object.assign(new Error(error.message || ''), { code: error.code });
    }
    return data || {};
  };
  /** What to show for a failed request, and its language: the gateway's messages are German. */
  const errorText = (e) => {
    const lang = state.shown;
    if (e instanceof TypeError || !e.message) return { text: t('unreachable', lang), lang };
    const own = !isGerman(lang) && CODES[e.code] && t(CODES[e.code], lang);
    return own ? { text: own, lang } : { text: e.message, lang: 'de' };
  };
  const showError = (e) => add({ from: 'bot', ...errorText(e), error: true, transient: true });
  const send = (body) => {
    // The language of this message: the explicit choice is sent; without one the gateway may detect it.
    const chosen = state.lang;
    const shown = state.shown;
    queue = queue.then(async () => {
      setTyping(true);
      try {
        const data = await post('/chat/messages', { sender_id: state.senderId, ags, ...(chosen ? { lang: chosen } : {}), ...body });
        const replyLang = canonical(data.lang);
        if (replyLang && !state.lang && replyLang !== state.shown) {
          state.shown = replyLang; showLang(); // detected: shown from now on, but not the citizen's choice
        }
        const lang = replyLang || shown;
        const msgs = (data.messages || []).filter((m) => m && (m.text || (m.buttons && m.buttons.length)));
        msgs.forEach((m, i) => add({ from: 'bot', id: m.id, text: m.text || '', buttons: m.buttons || [], fb: i === msgs.length - 1, lang }));
      } catch (e) {
        showError(e);
      } finally { setTyping(false); }
    });
    return queue;
  };
  const choose = (button) => {
    add({ from: 'user', text: button.title, lang: state.shown });
    send(button.payload.startsWith('/') ? { payload: button.payload } : { message: button.payload });
  };
  const sendFeedback = async (m, value, bar, thanks) => {
    m.feedback = value; save();
    bar.querySelectorAll('.fb-btn').forEach((b, i) => b.setAttribute('aria-pressed', String((i === 0 ? 'up' : 'down') === value)));
    try {
      await post('/chat/feedback', { sender_id: state.senderId, message_id: m.id, value, ags });
      thanks.dataset.t = 'fbThanks';
    } catch (e) {
      thanks.dataset.t = 'fbFailed';
    }
    applyTexts(thanks);
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
    add({ from: 'user', text, lang: state.shown });
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
