'use strict';
// Parapet playground: talks to the public API only (POST /v1/queries, GET /v1/queries/{id}?wait=, GET /v1/queries).
// Everything the server or the model says is rendered with textContent, never as HTML.
(() => {
  const TOKEN_KEY = 'parapet.token';
  const QUESTIONS_KEY = 'parapet.questions';
  const WAIT = '10s';
  const MAX_POLLS = 18;
  const REASONS = {
    PROMPT_INJECTION: 'Prompt injection: the question tries to override the assistant\u2019s instructions.',
    JAILBREAK: 'Jailbreak: the question tries to switch off the assistant\u2019s rules.',
    EXTRACTION_ATTEMPT: 'Extraction attempt: the question asks for the system prompt or for secrets.',
    RATE_LIMITED: 'Too many questions in the last minute. Wait a little and ask again.',
    SOURCE_RATE_LIMITED: 'Too many failed tokens from your address. Wait a minute.',
    TOKEN_REVOKED: 'Your token or your user has been revoked.',
    TOKEN_EXPIRED: 'Your token has expired. Get a new one.',
    TOKEN_NOT_YET_VALID: 'Your token is not valid yet (check the clock).',
    TOKEN_SIGNATURE_INVALID: 'Your token\u2019s signature does not verify.',
    TOKEN_MALFORMED: 'Your token is not a well-formed JWT.',
    ROLE_MISSING: 'Your token lacks the role this assistant needs.',
    POLICY_ERROR: 'The policy stage could not decide, so it refused (it never fails open).',
    PROVIDER_UNAVAILABLE: 'The language model did not answer. Try again later.',
    REQUEST_REJECTED: 'The language model refused the request.',
    OUTPUT_BLOCKED: 'The answer was withheld: it repeated protected content.'
  };

  const $ = (id) => document.getElementById(id);
  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  };
  const token = () => sessionStorage.getItem(TOKEN_KEY);
  const questions = () => {
    try { return JSON.parse(sessionStorage.getItem(QUESTIONS_KEY) || '{}'); } catch (e) { return {}; }
  };
  const remember = (id, question) => {
    const all = questions();
    all[id] = question;
    sessionStorage.setItem(QUESTIONS_KEY, JSON.stringify(all));
  };
  const say = (text) => { $('error').textContent = text || ''; };

  function showTokenState() {
    const set = Boolean(token());
    $('token-state').textContent = set ? 'A token is set for this tab.' : 'No token yet. Paste the one ./parapet up printed.';
    $('token-forget').hidden = !set;
  }

  async function api(method, path, body) {
    const headers = { 'Accept': 'application/json', 'Authorization': 'Bearer ' + (token() || '') };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
                                     credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer' });
    } catch (e) {
      throw new Error('Parapet cannot be reached. Is the stack running?');
    }
    let json = null;
    try { json = await response.json(); } catch (e) { json = null; }
    if (!response.ok) {
      const detail = json && json.detail ? json.detail : 'HTTP ' + response.status;
      if (response.status === 401) throw new Error('Your token was refused: ' + detail);
      if (response.status === 429) throw new Error('Slow down: ' + detail);
      throw new Error(detail);
    }
    return json;
  }

  // Answer text with [REDACTED:kind] markers shown as such.
  function answerNode(text) {
    const p = el('p', 'answer');
    const parts = String(text).split(/(\[REDACTED:[a-z_]+\])/);
    for (const part of parts) {
      if (/^\[REDACTED:[a-z_]+\]$/.test(part)) {
        const mark = el('mark', 'redacted', part);
        mark.title = 'removed by the output guard';
        p.appendChild(mark);
      } else if (part) {
        p.appendChild(document.createTextNode(part));
      }
    }
    return p;
  }

  function fill(item, result) {
    const status = result.status || 'pending';
    item.className = 'item status-' + status;
    item.dataset.status = status;
    const body = item.querySelector('.body');
    body.replaceChildren();
    item.querySelector('.badge').textContent = status;
    if (status === 'answered') {
      body.appendChild(answerNode(result.answer));
      if (result.model) body.appendChild(el('p', 'meta', 'Answered by ' + result.model));
    } else if (status === 'blocked' || status === 'failed') {
      const words = REASONS[result.reason] || 'Refused.';
      body.appendChild(el('p', 'reason', words + ' (' + result.reason + ')'));
      if (result.blocked_by) body.appendChild(el('p', 'meta', 'Caught by ' + result.blocked_by));
    } else {
      body.appendChild(el('p', 'meta', 'Waiting for the gateway\u2026'));
    }
    if (result.responded_at) item.querySelector('.when').textContent = new Date(result.responded_at).toLocaleString();
  }

  function itemFor(id, question) {
    const li = el('li', 'item status-pending');
    li.dataset.id = id;
    li.appendChild(el('p', 'question', question === undefined ? '(asked in another tab or session)' : question));
    const meta = el('p', 'meta');
    meta.appendChild(el('span', 'badge', 'pending'));
    meta.appendChild(el('span', 'when', ''));
    li.appendChild(meta);
    li.appendChild(el('div', 'body'));
    return li;
  }

  async function follow(id, item) {
    for (let i = 0; i < MAX_POLLS; i++) {
      const result = await api('GET', '/v1/queries/' + encodeURIComponent(id) + '?wait=' + WAIT);
      fill(item, result);
      if (result.status !== 'pending') return;
    }
    item.querySelector('.body').replaceChildren(el('p', 'meta', 'Still pending after three minutes; check the history later.'));
  }

  async function ask(event) {
    event.preventDefault();
    say('');
    const question = $('question').value.trim();
    if (!question) { say('Type a question first.'); return; }
    if (!token()) { say('Set your token first (step 1).'); $('token').focus(); return; }
    $('send').disabled = true;
    try {
      const accepted = await api('POST', '/v1/queries', { query: question });
      remember(accepted.id, question);
      const item = itemFor(accepted.id, question);
      fill(item, accepted);
      $('conversation').prepend(item);
      $('question').value = '';
      try {
        await follow(accepted.id, item);
      } catch (e) {
        item.dataset.status = 'error';
        item.className = 'item status-failed';
        item.querySelector('.badge').textContent = 'refused';
        item.querySelector('.body').replaceChildren(el('p', 'reason', e.message));
        throw e;
      }
    } catch (e) {
      say(e.message);
    } finally {
      $('send').disabled = false;
    }
  }

  let historyNext = null;
  async function loadHistory(more) {
    say('');
    if (!token()) { say('Set your token first (step 1).'); return; }
    const path = '/v1/queries?limit=10' + (more && historyNext ? '&before=' + encodeURIComponent(historyNext) : '');
    try {
      const page = await api('GET', path);
      if (!more) $('history').replaceChildren();
      const asked = questions();
      for (const result of page.items) {
        const item = itemFor(result.id, asked[result.id]);
        fill(item, result);
        $('history').appendChild(item);
      }
      if (!more && page.items.length === 0) $('history').appendChild(el('li', 'meta', 'No queries with an outcome yet.'));
      historyNext = page.next || null;
      $('history-more').hidden = !historyNext;
    } catch (e) {
      say(e.message);
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    showTokenState();
    $('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const value = $('token').value.trim();
      if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(value)) {
        say('That does not look like a JWT (three base64url parts separated by dots).');
        return;
      }
      sessionStorage.setItem(TOKEN_KEY, value);
      $('token').value = '';
      say('');
      showTokenState();
      $('question').focus();
    });
    $('token-forget').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      showTokenState();
      $('token').focus();
    });
    $('ask-form').addEventListener('submit', ask);
    $('question').addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) $('ask-form').requestSubmit();
    });
    $('history-load').addEventListener('click', () => loadHistory(false));
    $('history-more').addEventListener('click', () => loadHistory(true));
  });
})();
