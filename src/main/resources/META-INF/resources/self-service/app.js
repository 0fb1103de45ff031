// Lost-device self-service page. Signs the employee in with Microsoft Entra ID (authorization code flow with PKCE,
// as a single-page app: no client secret), lists their own devices and locks the one they pick.
// The access token lives in memory only: reloading the page signs in again (silently, while Entra's session lasts).
// Everything shown is set with textContent: nothing from a server is ever parsed as HTML.
(function () {
  'use strict';

  const API = new URL('../v1/self-service/', document.baseURI);
  const SIGN_IN_KEY = 'intune-lock.self-service.sign-in'; // state and PKCE verifier, across the sign-in redirect
  const PLATFORMS = {
    MACOS: 'macOS',
    IOS: 'iOS / iPadOS',
    ANDROID: 'Android',
    ANDROID_ENTERPRISE: 'Android',
    WINDOWS_MOBILE: 'Windows Mobile',
    WINDOWS_DESKTOP: 'Windows',
  };
  const STEPS = ['loading', 'not-configured', 'signed-out', 'pick-step', 'confirm-step', 'done-step'];

  let config = null;
  let token = null;
  let devices = [];
  let chosen = null;

  const $ = (id) => document.getElementById(id);
  const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

  // ------------------------------------------------------------------ what is on screen

  function show(step, focus) {
    STEPS.forEach((id) => { $(id).hidden = id !== step; });
    if (focus) {
      $(focus).focus();
    }
  }

  function say(text) {
    $('status').textContent = text;
  }

  function warn(text) {
    const alert = $('alert');
    alert.textContent = text;
    alert.hidden = !text;
    if (text) {
      alert.focus();
    }
  }

  function fillHelpdesk() {
    document.querySelectorAll('.helpdesk').forEach((el) => { el.textContent = config.helpdeskContact; });
  }

  function when(iso) {
    if (!iso) {
      return 'never';
    }
    const at = new Date(iso);
    const minutes = Math.round((at.getTime() - Date.now()) / 60000);
    const ago = Math.abs(minutes) < 60 ? relative.format(minutes, 'minute')
      : Math.abs(minutes) < 48 * 60 ? relative.format(Math.round(minutes / 60), 'hour')
        : relative.format(Math.round(minutes / 1440), 'day');
    return `${ago} (${dateTime.format(at)})`;
  }

  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) {
      el.className = className;
    }
    if (text !== undefined) {
      el.textContent = text;
    }
    return el;
  }

  function renderDevices() {
    const list = $('device-list');
    list.replaceChildren();
    $('no-devices').hidden = devices.length > 0;
    $('note-field').hidden = devices.length === 0;
    $('continue').hidden = devices.length === 0;
    devices.forEach((device, index) => {
      const id = `device-${index}`;
      const radio = element('input');
      radio.type = 'radio';
      radio.name = 'device';
      radio.id = id;
      radio.value = device.id;
      radio.disabled = !device.lockable;
      radio.setAttribute('aria-describedby', `${id}-details${device.lockable ? '' : ` ${id}-why`}`);
      const label = element('label');
      label.htmlFor = id;
      const platform = PLATFORMS[device.platform] || device.operatingSystem || 'Unknown platform';
      const details = element('span', 'device-details',
        [platform, device.model, `last check-in ${when(device.lastCheckIn)}`].filter(Boolean).join(' · '));
      details.id = `${id}-details`;
      label.append(radio, element('span', 'device-name', device.name || 'Unnamed device'), details);
      if (!device.lockable) {
        const why = element('span', 'device-why', `Cannot be locked from here: ${device.notLockableReason}`);
        why.id = `${id}-why`;
        label.append(why);
      }
      const item = element('li');
      item.append(label);
      list.append(item);
    });
  }

  // ------------------------------------------------------------------ sign-in (authorization code + PKCE)

  const redirectUri = () => window.location.origin + window.location.pathname;

  function randomString(bytes) {
    return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
  }

  function base64url(bytes) {
    let text = '';
    new Uint8Array(bytes).forEach((b) => { text += String.fromCharCode(b); });
    return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  async function signIn() {
    const verifier = randomString(48);
    const state = randomString(24);
    sessionStorage.setItem(SIGN_IN_KEY, JSON.stringify({ state, verifier }));
    const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    const url = new URL(`${config.authority}/oauth2/v2.0/authorize`);
    url.search = new URLSearchParams({
      client_id: config.clientId,
      response_type: 'code',
      redirect_uri: redirectUri(),
      response_mode: 'query',
      scope: config.scope,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      prompt: 'select_account',
    }).toString();
    window.location.assign(url.toString());
  }

  function signOut() {
    token = null;
    const url = new URL(`${config.authority}/oauth2/v2.0/logout`);
    url.search = new URLSearchParams({ post_logout_redirect_uri: redirectUri() }).toString();
    window.location.assign(url.toString());
  }

  // Back from the sign-in page: trades the code for a token. The code leaves the address bar and history first.
  async function completeSignIn(params) {
    const pending = JSON.parse(sessionStorage.getItem(SIGN_IN_KEY) || 'null');
    sessionStorage.removeItem(SIGN_IN_KEY);
    window.history.replaceState(null, '', window.location.pathname);
    if (params.has('error')) {
      throw new Error(`Sign-in did not complete: ${firstLine(params.get('error_description') || params.get('error'))}`);
    }
    if (!pending || pending.state !== params.get('state')) {
      throw new Error('This sign-in answer does not belong to this page. Sign in again.');
    }
    const response = await fetch(`${config.authority}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: config.clientId,
        grant_type: 'authorization_code',
        code: params.get('code'),
        redirect_uri: redirectUri(),
        code_verifier: pending.verifier,
        scope: config.scope,
      }),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok || !body.access_token) {
      throw new Error(`Sign-in failed: ${firstLine(body.error_description || body.error || response.statusText)}`);
    }
    token = body.access_token;
  }

  function firstLine(text) {
    return String(text).split(/\r?\n/)[0];
  }

  function signedInName() {
    try {
      const claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      return claims.upn || claims.preferred_username || claims.name || 'you';
    } catch (e) {
      return 'you';
    }
  }

  // ------------------------------------------------------------------ the API

  async function api(path, options) {
    const response = await fetch(new URL(path, API), {
      ...options,
      headers: { Accept: 'application/json', Authorization: `Bearer ${token}`, ...(options && options.headers) },
    });
    const body = await response.json().catch(() => null);
    if (response.status === 401) {
      token = null;
      show('signed-out');
      warn('Your sign-in has expired. Sign in again.');
      throw new Error('signed out');
    }
    return { status: response.status, body: body || {}, headers: response.headers };
  }

  async function loadDevices() {
    say('Loading your devices…');
    const answer = await api('devices');
    say('');
    if (answer.status !== 200) {
      show('pick-step');
      warn(problemText(answer));
      return;
    }
    devices = answer.body.devices;
    renderDevices();
    $('who').textContent = signedInName();
    show('pick-step');
    say(devices.length === 1 ? 'You have 1 device.' : `You have ${devices.length} devices.`);
  }

  async function sendLock() {
    const button = $('confirm-lock');
    button.disabled = true;
    say('Sending the lock…');
    try {
      const answer = await api('locks', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ deviceId: chosen.id, note: $('note').value.trim() || null }),
      });
      say('');
      if (answer.status === 202) {
        showDone(answer.body);
      } else {
        show('pick-step');
        warn(problemText(answer));
      }
    } finally {
      button.disabled = false;
    }
  }

  function showDone(lock) {
    const name = lock.deviceName || chosen.name;
    const sent = lock.status === 'SENT' || lock.status === 'DONE';
    $('done-heading').textContent = sent ? 'Lock sent' : lock.status === 'PENDING' ? 'Lock requested' : 'Lock refused';
    $('done-text').textContent = sent
      ? `${name} locks as soon as it is online. Sent ${dateTime.format(new Date(lock.sentAt))}.`
      : lock.status === 'PENDING'
        ? `Intune has not taken the lock for ${name} yet; it is sent again automatically. You do not need to do anything else.`
        : `Intune refused to lock ${name}${lock.error ? `: ${lock.error.message}` : ''}. Contact the helpdesk: ${config.helpdeskContact}.`;
    const mac = lock.platform === 'MACOS' && lock.status !== 'REJECTED';
    $('pin-notice').hidden = !mac;
    $('pin-until').textContent = mac && lock.pin && lock.pin.expiresAt
      ? `, until ${dateTime.format(new Date(lock.pin.expiresAt))}` : '';
    show('done-step', 'done-heading');
  }

  function problemText(answer) {
    const p = answer.body;
    switch (p.type && p.type.split('/').pop()) {
      case 'mac-pin-outstanding':
        return 'This Mac is already locked and its recovery PIN has not been used yet. Locking it again would make '
          + `that PIN useless. The helpdesk holds the PIN${p.expiresAt ? ` until ${dateTime.format(new Date(p.expiresAt))}` : ''}: `
          + `contact them at ${config.helpdeskContact}.`;
      case 'lock-in-flight':
        return 'A lock for this device is already on its way. You do not need to send another.';
      case 'self-service-lock-limit':
        return `You have reached the limit of ${p.limit} lock requests per hour. Try again after `
          + `${dateTime.format(new Date(p.retryAt))}, or contact the helpdesk: ${config.helpdeskContact}.`;
      default:
        return [p.title || `The request failed (HTTP ${answer.status}).`, p.detail].filter(Boolean).join(' ');
    }
  }

  // ------------------------------------------------------------------ events

  function onContinue(event) {
    event.preventDefault();
    warn('');
    const picked = document.querySelector('input[name="device"]:checked');
    if (!picked) {
      warn('Choose the device you lost.');
      return;
    }
    chosen = devices.find((d) => d.id === picked.value);
    $('confirm-name').textContent = chosen.name || 'this device';
    $('confirm-mac').hidden = !chosen.recoveryPin;
    show('confirm-step', 'confirm-heading');
  }

  function failed(error) {
    if (error.message !== 'signed out') {
      say('');
      warn(error.message || 'Something went wrong. Reload the page and try again.');
    }
  }

  async function start() {
    $('sign-in').addEventListener('click', () => signIn().catch(failed));
    $('sign-out').addEventListener('click', signOut);
    $('pick-form').addEventListener('submit', onContinue);
    $('confirm-lock').addEventListener('click', () => sendLock().catch(failed));
    $('cancel-lock').addEventListener('click', () => show('pick-step', 'continue'));
    $('back').addEventListener('click', () => {
      warn('');
      loadDevices().catch(failed);
    });

    const response = await fetch(new URL('config', API), { headers: { Accept: 'application/json' } });
    if (!response.ok) {
      throw new Error('The page could not load its settings. Reload the page to try again.');
    }
    config = await response.json();
    fillHelpdesk();
    if (!config.signInConfigured) {
      show('not-configured');
      return;
    }
    const params = new URLSearchParams(window.location.search);
    if (params.has('code') || params.has('error')) {
      show('loading');
      try {
        await completeSignIn(params);
      } catch (error) {
        show('signed-out');
        throw error;
      }
      await loadDevices();
      return;
    }
    show('signed-out');
  }

  start().catch((error) => {
    if (!$('loading').hidden) {
      show(config ? 'signed-out' : null);
    }
    failed(error);
  });
}());
