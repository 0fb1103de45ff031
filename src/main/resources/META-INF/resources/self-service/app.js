// Lost-device self-service page. Signs the employee in with Microsoft Entra ID (authorization code flow with PKCE,
// as a single-page app: no client secret), lists their own devices and locks the one they pick.
// The access token lives in this tab's sessionStorage (never localStorage): a reload keeps the employee signed in,
// closing the tab or signing out forgets it. Everything shown is set with textContent or built as DOM nodes: nothing
// from a server is ever parsed as HTML.
(function () {
  'use strict';

  const API = new URL('../v1/self-service/', document.baseURI);
  const SIGN_IN_KEY = 'intune-lock.self-service.sign-in'; // state and PKCE verifier, across the sign-in redirect
  const TOKEN_KEY = 'intune-lock.self-service.token'; // the access token, for this tab's session
  const SIGNED_OUT_KEY = 'intune-lock.self-service.signed-out'; // to say so after the sign-out redirect
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
  const dateTime = new Intl.DateTimeFormat(undefined, {
    year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short',
  });
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

  // A message; withHelpdesk adds how to reach the helpdesk (tap to call, tap to mail) as the next step.
  function warn(text, withHelpdesk) {
    const alert = $('alert');
    alert.textContent = text;
    if (text && withHelpdesk) {
      alert.append(' ', helpdesk());
    }
    alert.hidden = !text;
    if (text) {
      alert.focus();
    }
  }

  // The helpdesk as links: "IT helpdesk: call +1 555 0100 or e-mail helpdesk@contoso.example".
  function helpdesk() {
    const contact = config.helpdesk || { text: config.helpdeskContact };
    const span = element('span', 'helpdesk-contact');
    if (!contact.tel && !contact.email) {
      span.append(element('strong', null, contact.text));
      return span;
    }
    span.append(element('strong', null, contact.name || 'The helpdesk'), ': ');
    if (contact.tel) {
      const call = element('a', 'contact-link', `call ${contact.phone}`);
      call.href = `tel:${contact.tel}`;
      span.append(call);
    }
    if (contact.tel && contact.email) {
      span.append(' or ');
    }
    if (contact.email) {
      const mail = element('a', 'contact-link', `e-mail ${contact.email}`);
      mail.href = `mailto:${contact.email}`;
      span.append(mail);
    }
    return span;
  }

  function fillHelpdesk() {
    document.querySelectorAll('.helpdesk').forEach((el) => { el.replaceChildren(helpdesk()); });
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
      const state = lockState(device.lock);
      if (state) {
        label.append(element('span', 'device-state', state));
      }
      if (!device.lockable) {
        const why = element('span', 'device-why', cannotLock(device));
        why.id = `${id}-why`;
        why.append(' ', helpdesk());
        label.append(why);
      }
      const item = element('li');
      item.append(label);
      list.append(item);
    });
  }

  // Where the device's latest lock stands, in plain words (nothing when it has none this week).
  function lockState(lock) {
    if (!lock) {
      return '';
    }
    if (lock.pinHeldUntil) {
      return `Locked. The helpdesk holds its recovery PIN until ${dateTime.format(new Date(lock.pinHeldUntil))}.`;
    }
    switch (lock.status) {
      case 'SENT':
      case 'DONE':
        return `Lock sent ${when(lock.sentAt)}.`;
      case 'PENDING':
        return `Lock requested ${when(lock.requestedAt)}; it is being sent. You do not need to do anything.`;
      case 'UNCONFIRMED':
        return `Lock sent ${when(lock.requestedAt)}; Intune has not confirmed it yet.`;
      default:
        return `A lock requested ${when(lock.requestedAt)} could not be sent. You can try again.`;
    }
  }

  // Why a device cannot be locked here, and what to do instead.
  function cannotLock(device) {
    if (device.lock && device.lock.pinHeldUntil) {
      return 'Locking it again would make its recovery PIN useless. When you have it back, ask the helpdesk for the PIN:';
    }
    if (device.platform === 'WINDOWS_DESKTOP') {
      return 'Windows computers cannot be locked from this page. The helpdesk can lock it for you:';
    }
    return 'This device cannot be locked from this page. The helpdesk can help:';
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

  function remember(accessToken) {
    token = accessToken;
    sessionStorage.setItem(TOKEN_KEY, accessToken);
  }

  function forget() {
    token = null;
    sessionStorage.removeItem(TOKEN_KEY);
  }

  // The token this tab signed in with, unless it has expired (or is about to).
  function rememberedToken() {
    const stored = sessionStorage.getItem(TOKEN_KEY);
    if (!stored) {
      return null;
    }
    const exp = claimsOf(stored).exp;
    return exp && exp * 1000 > Date.now() + 60000 ? stored : null;
  }

  function signOut() {
    forget();
    sessionStorage.setItem(SIGNED_OUT_KEY, 'yes');
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
      // e.g. access_denied (cancelled, or consent declined: AADSTS65004): the raw text helps nobody who lost a device.
      throw new Error('Sign-in was cancelled or did not complete, so nothing has been locked. Sign in again, or '
        + 'ask the helpdesk to lock your device.');
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
      throw new Error('Sign-in did not complete, so nothing has been locked. Sign in again, or ask the helpdesk to '
        + 'lock your device.');
    }
    remember(body.access_token);
  }

  function claimsOf(jwt) {
    try {
      return JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    } catch (e) {
      return {};
    }
  }

  function signedInName() {
    const claims = claimsOf(token);
    return claims.upn || claims.preferred_username || claims.name || 'you';
  }

  // ------------------------------------------------------------------ the API

  async function api(path, options) {
    const response = await fetch(new URL(path, API), {
      ...options,
      headers: { Accept: 'application/json', Authorization: `Bearer ${token}`, ...(options && options.headers) },
    });
    const body = await response.json().catch(() => null);
    if (response.status === 401) {
      forget();
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
      warn(problemText(answer), true);
      return;
    }
    devices = answer.body.devices;
    renderDevices();
    $('who').textContent = signedInName();
    show('pick-step', 'pick-title');
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
        // Back from here leads to the list (the question's entry becomes the result's).
        window.history.replaceState({ step: 'done' }, '');
        showDone(answer.body);
      } else {
        show('pick-step');
        warn(problemText(answer), true);
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
        : `${name} could not be locked from here. The helpdesk can lock it for you:`;
    if (!sent && lock.status !== 'PENDING') {
      $('done-text').append(' ', helpdesk());
    }
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
          + `that PIN useless. The helpdesk holds the PIN${p.expiresAt ? ` until ${dateTime.format(new Date(p.expiresAt))}` : ''}.`;
      case 'lock-in-flight':
        return 'A lock for this device is already on its way. You do not need to send another.';
      case 'self-service-lock-limit':
        return `You have reached the limit of ${p.limit} lock requests per hour (every request counts, so that nobody `
          + `can try devices one by one). Try again after ${dateTime.format(new Date(p.retryAt))}, or ask the helpdesk.`;
      case 'platform-not-lockable':
        return 'This device cannot be locked from this page. The helpdesk can lock it for you.';
      default:
        return answer.status >= 500
          ? 'The lock service is not answering right now, so nothing has been locked. Try again in a minute, or ask '
            + 'the helpdesk.'
          : [p.title || `The request failed (HTTP ${answer.status}).`, p.detail].filter(Boolean).join(' ');
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
    showConfirm();
    // The browser's Back button leads from the question back to the list, not off the page.
    window.history.pushState({ step: 'confirm' }, '');
  }

  function showConfirm() {
    $('confirm-name').textContent = chosen.name || 'this device';
    $('confirm-mac').hidden = !chosen.recoveryPin;
    $('confirm-unlock').hidden = chosen.recoveryPin;
    show('confirm-step', 'confirm-heading');
  }

  function onBack(event) {
    if (!token) {
      return;
    }
    warn('');
    if (event.state && event.state.step === 'confirm' && chosen) {
      showConfirm();
    } else if (!$('done-step').hidden) {
      loadDevices().catch(failed);
    } else {
      show('pick-step', 'pick-title');
    }
  }

  function failed(error) {
    if (error.message !== 'signed out') {
      say('');
      warn(error.message || 'Something went wrong, so nothing has been locked. Reload the page and try again.', true);
    }
  }

  async function start() {
    $('sign-in').addEventListener('click', () => signIn().catch(failed));
    $('sign-out').addEventListener('click', signOut);
    $('pick-form').addEventListener('submit', onContinue);
    $('confirm-lock').addEventListener('click', () => sendLock().catch(failed));
    $('cancel-lock').addEventListener('click', () => window.history.back());
    window.addEventListener('popstate', onBack);
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
    if (sessionStorage.getItem(SIGNED_OUT_KEY)) {
      sessionStorage.removeItem(SIGNED_OUT_KEY);
      say('You are signed out.');
    }
    if (!params.has('code') && !params.has('error') && rememberedToken()) {
      token = rememberedToken();
      await loadDevices();
      return;
    }
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
